package io.liftoff.signoff.signoff;

import java.time.Instant;
import java.util.List;

/**
 * One sign-off or revocation, as signed: {@code jws} is the service's signature over the statement and also the exact
 * bytes of its log entry. {@code logIndex} is set once the entry is in the log. Never changed afterwards, except that
 * {@code logIndex} is filled in.
 */
public record SignoffRecord(String id, String type, String phase, String role, String decision, String signer,
        String signerName, String comment, List<String> attestations, String revokes, long checklistVersion,
        String digest, Instant signedAt, int acr, Instant authTime, String keyId, String jws, Long logIndex,
        String idempotencyKey) {

    public static final String SIGNOFF = "signoff";
    public static final String REVOCATION = "revocation";

    public boolean isRevocation() {
        return REVOCATION.equals(type);
    }

    SignoffRecord withLogIndex(long index) {
        return new SignoffRecord(id, type, phase, role, decision, signer, signerName, comment, attestations, revokes,
                checklistVersion, digest, signedAt, acr, authTime, keyId, jws, index, idempotencyKey);
    }
}
