package io.liftoff.monitoring.alerts;

import java.util.List;
import java.util.Map;

import io.liftoff.monitoring.api.AlertmanagerApi;
import io.liftoff.monitoring.api.model.AlertReceipt;
import io.liftoff.monitoring.api.model.AlertmanagerPayload;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** Alertmanager's webhook; its caller is authenticated by {@link AlertmanagerAuthentication}. */
@RestController
class AlertmanagerController implements AlertmanagerApi {

    private final AlertIntake intake;

    AlertmanagerController(AlertIntake intake) {
        this.intake = intake;
    }

    @Override
    public ResponseEntity<AlertReceipt> receiveAlerts(AlertmanagerPayload payload) {
        List<AlertIntake.Alert> alerts = payload.getAlerts().stream()
                .map(alert -> new AlertIntake.Alert(alert.getStatus().getValue(),
                        alert.getLabels() == null ? Map.of() : alert.getLabels(), alert.getFingerprint()))
                .toList();
        AlertIntake.Result result = intake.receive(payload.getVersion(), alerts);
        return ResponseEntity.ok(new AlertReceipt().matched(result.matched()).unmatched(result.unmatched())
                .fired(result.fired()).cleared(result.cleared()));
    }
}
