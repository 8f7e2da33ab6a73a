package io.liftoff.checklist.release;

import java.util.List;

import io.liftoff.checklist.checklist.Phase;

/**
 * Asks signoff-service whether a release's gate is clear. Implementations fail closed: when the answer cannot be had,
 * the gate is not clear and the reason says why.
 */
public interface GateCheck {

    GateAnswer check(String releaseId, Phase phase);

    record GateAnswer(boolean cleared, List<String> reasons) {
    }
}
