package io.liftoff.monitoring.alerts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.monitoring.api.AlertmanagerApi;
import io.liftoff.monitoring.api.model.AlertReceipt;
import io.liftoff.monitoring.api.model.AlertmanagerPayload;
import io.liftoff.monitoring.config.MonitoringProperties;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.RestController;

/**
 * Alertmanager's webhook. The path is open in the filter chain because Alertmanager may authenticate with the shared
 * secret instead of a token; this controller decides: a validated token with the {@code service} role, or the secret.
 */
@RestController
class AlertmanagerController implements AlertmanagerApi {

    static final String SECRET_HEADER = "X-Liftoff-Alertmanager-Secret";

    private final AlertIntake intake;
    private final MonitoringProperties properties;
    private final HttpServletRequest request;

    AlertmanagerController(AlertIntake intake, MonitoringProperties properties, HttpServletRequest request) {
        this.intake = intake;
        this.properties = properties;
        this.request = request;
    }

    @Override
    public ResponseEntity<AlertReceipt> receiveAlerts(AlertmanagerPayload payload) {
        authenticate();
        List<AlertIntake.Alert> alerts = payload.getAlerts().stream()
                .map(alert -> new AlertIntake.Alert(alert.getStatus().getValue(),
                        alert.getLabels() == null ? Map.of() : alert.getLabels(), alert.getFingerprint()))
                .toList();
        AlertIntake.Result result = intake.receive(payload.getVersion(), alerts);
        return ResponseEntity.ok(new AlertReceipt().matched(result.matched()).unmatched(result.unmatched())
                .fired(result.fired()).cleared(result.cleared()));
    }

    private void authenticate() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken) {
            if (!CurrentUser.of(authentication).hasRole("service")) {
                throw new ProblemException(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden",
                        "Only the platform's services and Alertmanager may post alerts");
            }
            return;
        }
        String configured = properties.alertmanager().sharedSecret();
        String sent = request.getHeader(SECRET_HEADER);
        if (configured == null || configured.isBlank() || sent == null
                || !MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8),
                        sent.getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHORIZED, "Unauthorized",
                    "A service token or Alertmanager's shared secret is required");
        }
    }
}
