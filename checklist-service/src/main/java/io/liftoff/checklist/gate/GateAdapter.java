package io.liftoff.checklist.gate;

import java.util.ArrayList;
import java.util.List;

import io.liftoff.checklist.checklist.Phase;
import io.liftoff.checklist.release.GateCheck;
import io.liftoff.checklist.signoff.api.model.Gate;
import io.liftoff.checklist.signoff.api.model.GatePhase;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/** {@link GateCheck} through the generated Feign client; anything but a clear 200 answer is "not clear". */
@Component
class GateAdapter implements GateCheck {

    static final String UNAVAILABLE_HEADER = "X-Liftoff-Gate-Unavailable";

    private final SignoffGateClient client;

    GateAdapter(SignoffGateClient client) {
        this.client = client;
    }

    @Override
    public GateAnswer check(String releaseId, Phase phase) {
        ResponseEntity<Gate> response = client.getGate(releaseId, GatePhase.valueOf(phase.name()));
        Gate gate = response.getBody();
        if (!response.getStatusCode().is2xxSuccessful() || gate == null) {
            String cause = response.getHeaders().getFirst(UNAVAILABLE_HEADER);
            return new GateAnswer(false, List.of("signoff-service could not confirm the " + phase + " gate ("
                    + (cause != null ? cause : "status " + response.getStatusCode().value()) + "); refused"));
        }
        if (Boolean.TRUE.equals(gate.getCleared())) {
            return new GateAnswer(true, List.of());
        }
        List<String> reasons = new ArrayList<>();
        gate.getMissingRoles().forEach(role -> reasons.add("missing sign-off: " + role));
        gate.getRejectedSignoffs().forEach(role -> reasons.add("rejected sign-off: " + role));
        gate.getStaleSignoffs().forEach(role -> reasons.add("stale sign-off: " + role));
        if (reasons.isEmpty()) {
            reasons.add("the " + phase + " gate is not clear");
        }
        return new GateAnswer(false, reasons);
    }
}
