package io.liftoff.monitoring.monitoring;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.security.Access;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.monitoring.api.MonitoringApi;
import io.liftoff.monitoring.api.model.Check;
import io.liftoff.monitoring.api.model.CheckSettingsUpdate;
import io.liftoff.monitoring.api.model.Monitoring;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.RestController;

/** Start and read the monitoring of a release; change a check's settings. */
@RestController
class MonitoringController implements MonitoringApi {

    static final String START = "hasAnyRole('release-manager','admin','service')";

    private final MonitoringService service;
    private final Clock clock;

    MonitoringController(MonitoringService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    @Override
    @PreAuthorize(START)
    public ResponseEntity<Monitoring> startMonitoring(String releaseId) {
        MonitoringService.Started started = service.start(user(), releaseId);
        Monitoring body = MonitoringMapper.toApi(started.monitoring(), clock.instant());
        return started.created()
                ? ResponseEntity.created(URI.create("/api/releases/" + releaseId + "/monitoring")).body(body)
                : ResponseEntity.ok(body);
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<Monitoring> getMonitoring(String releaseId) {
        return ResponseEntity.ok(MonitoringMapper.toApi(service.get(user(), releaseId), clock.instant()));
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<String> getMonitoringChart(String releaseId) {
        return ResponseEntity.ok().contentType(org.springframework.http.MediaType.valueOf("image/svg+xml"))
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                .body(MonitoringChart.svg(service.get(user(), releaseId), clock.instant()));
    }

    @Override
    @PreAuthorize(Access.MANAGE)
    public ResponseEntity<Check> updateCheck(String releaseId, String checkId, CheckSettingsUpdate update) {
        Set<String> clear = new LinkedHashSet<>();
        if (update.getClear() != null) {
            update.getClear().forEach(setting -> clear.add(setting.getValue()));
        }
        SettingsChange change = new SettingsChange(duration("evaluationInterval", update.getEvaluationInterval()),
                duration("initialDelay", update.getInitialDelay()), update.getFailureLimit(),
                update.getInconclusiveLimit(), duration("lookback", update.getLookback()),
                duration("sustainedFor", update.getSustainedFor()),
                duration("baselinePeriod", update.getBaselinePeriod()), update.getBaseline(), update.getQuery(),
                update.getQueryUnit() == null ? null : update.getQueryUnit().getValue(), update.getAlertNames(),
                clear);
        return ResponseEntity.ok(MonitoringMapper.toApi(service.updateCheck(user(), releaseId, checkId, change)));
    }

    private static Duration duration(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Duration.parse(value);
        }
        catch (DateTimeParseException ex) {
            throw ProblemException.badRequest(MonitoringService.INVALID_SETTING, "Invalid setting",
                    field + " must be an ISO-8601 duration such as PT30S; got '" + value + "'").with("field", field);
        }
    }

    private static CurrentUser user() {
        return CurrentUser.of(SecurityContextHolder.getContext().getAuthentication());
    }
}
