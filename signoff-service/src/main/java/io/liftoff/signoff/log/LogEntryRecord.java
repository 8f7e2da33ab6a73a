package io.liftoff.signoff.log;

import java.time.Instant;

/**
 * A stored log entry: the exact leaf bytes and their hash, plus copies of the statement's fields for the history
 * queries (the leaf stays the authority; the verifier never trusts the copies).
 */
public record LogEntryRecord(long index, byte[] leaf, byte[] leafHash, String signoffId, String type,
        String releaseId, String product, String phase, String role, String decision, String signer,
        String signerName, long checklistVersion, String digest, Instant signedAt, int acr, Instant authTime,
        String revokes) {
}
