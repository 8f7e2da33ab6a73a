package io.liftoff.monitoring.alerts;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.monitoring.monitoring.MonitoredCheck;
import io.liftoff.monitoring.monitoring.MonitoringService;
import io.liftoff.monitoring.monitoring.ReleaseMonitoring;

import org.springframework.stereotype.Service;

/**
 * Maps Alertmanager alerts to TRIGGER checks: the release by label {@code release} (its id) or {@code product} (that
 * product's monitored releases), the check by label {@code trigger} (item key, metric or check id) or by
 * {@code alertname} listed in the check's {@code alertNames}.
 */
@Service
class AlertIntake {

    static final URI UNSUPPORTED = ProblemTypes.of("unsupported-alertmanager-payload");

    private final MonitoringService monitoring;

    AlertIntake(MonitoringService monitoring) {
        this.monitoring = monitoring;
    }

    /** One alert of the payload. */
    record Alert(String status, Map<String, String> labels, String fingerprint) {
    }

    record Result(int matched, int unmatched, List<String> fired, List<String> cleared) {
    }

    Result receive(String version, List<Alert> alerts) {
        if (!"4".equals(version)) {
            throw ProblemException.badRequest(UNSUPPORTED, "Unsupported Alertmanager payload",
                    "Only webhook payload version 4 is understood; got '" + version + "'").with("field", "version");
        }
        for (int i = 0; i < alerts.size(); i++) {
            Alert alert = alerts.get(i);
            if (!"firing".equals(alert.status()) && !"resolved".equals(alert.status())) {
                throw ProblemException.badRequest(UNSUPPORTED, "Unsupported Alertmanager payload",
                        "Alert " + i + " has status '" + alert.status() + "'").with("field", "alerts[" + i + "].status");
            }
        }
        int matched = 0;
        int unmatched = 0;
        List<String> fired = new ArrayList<>();
        List<String> cleared = new ArrayList<>();
        for (Alert alert : alerts) {
            List<Target> targets = targets(alert);
            if (targets.isEmpty()) {
                unmatched++;
                continue;
            }
            matched++;
            String fingerprint = alert.fingerprint() != null && !alert.fingerprint().isBlank() ? alert.fingerprint()
                    : Integer.toHexString(new java.util.TreeMap<>(alert.labels()).hashCode());
            String alertName = alert.labels().getOrDefault("alertname", "(unnamed)");
            for (Target target : targets) {
                Boolean change = monitoring.applyAlert(target.releaseId(), target.checkId(), fingerprint,
                        "firing".equals(alert.status()), alertName);
                if (Boolean.TRUE.equals(change)) {
                    fired.add(target.checkId());
                }
                else if (Boolean.FALSE.equals(change)) {
                    cleared.add(target.checkId());
                }
            }
        }
        return new Result(matched, unmatched, fired, cleared);
    }

    private record Target(String releaseId, String checkId) {
    }

    private List<Target> targets(Alert alert) {
        Map<String, String> labels = alert.labels();
        List<ReleaseMonitoring> releases = new ArrayList<>();
        String releaseId = labels.get("release");
        if (releaseId != null && !releaseId.isBlank()) {
            ReleaseMonitoring release = monitoring.find(releaseId);
            if (release != null && (labels.get("product") == null
                    || Objects.equals(labels.get("product"), release.getProduct()))) {
                releases.add(release);
            }
        }
        else if (labels.get("product") != null) {
            releases.addAll(monitoring.activeOfProduct(labels.get("product")));
        }
        String trigger = labels.get("trigger");
        String alertName = labels.get("alertname");
        List<Target> targets = new ArrayList<>();
        for (ReleaseMonitoring release : releases) {
            for (MonitoredCheck check : release.getChecks()) {
                if (!check.isTrigger()) {
                    continue;
                }
                boolean byTrigger = trigger != null && (trigger.equals(check.getItemKey())
                        || trigger.equals(check.getId()) || trigger.equals(check.getMetric()));
                boolean byName = alertName != null && check.getAlertNames().contains(alertName);
                if (byTrigger || byName) {
                    targets.add(new Target(release.getId(), check.getId()));
                }
            }
        }
        return targets;
    }
}
