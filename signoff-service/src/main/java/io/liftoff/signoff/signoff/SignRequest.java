package io.liftoff.signoff.signoff;

import java.util.List;

/** What a signer submits: the role, APPROVE or REJECT, a comment, and the attestation keys confirmed. */
public record SignRequest(String role, String decision, String comment, List<String> confirmedAttestations) {
}
