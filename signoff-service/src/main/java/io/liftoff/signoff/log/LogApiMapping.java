package io.liftoff.signoff.log;

import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.liftoff.signoff.api.model.Checkpoint;
import io.liftoff.signoff.api.model.Jwk;
import io.liftoff.signoff.api.model.LogEntry;

/** The log's shapes in the contract (DESIGN.md section 11): base64 hashes, RFC 9162 proof order. */
public final class LogApiMapping {

    private LogApiMapping() {
    }

    public static Checkpoint checkpoint(Checkpoints.Checkpoint checkpoint) {
        return new Checkpoint().treeSize(checkpoint.treeSize()).rootHash(b64(checkpoint.rootHash()))
                .signature(checkpoint.signature()).keyId(checkpoint.keyId())
                .timestamp(checkpoint.timestamp().atOffset(ZoneOffset.UTC));
    }

    public static LogEntry entry(LogEntryRecord entry, long treeSize, List<byte[]> proof) {
        return new LogEntry().index(entry.index()).leaf(b64(entry.leaf())).leafHash(b64(entry.leafHash()))
                .inclusionProof(proof.stream().map(LogApiMapping::b64).toList()).treeSize(treeSize)
                .signoffId(entry.signoffId());
    }

    public static Jwk jwk(Map<String, Object> map) {
        Jwk jwk = new Jwk();
        map.forEach((name, value) -> {
            switch (name) {
                case "kty" -> jwk.setKty(String.valueOf(value));
                case "crv" -> jwk.setCrv(String.valueOf(value));
                case "x" -> jwk.setX(String.valueOf(value));
                case "y" -> jwk.setY(String.valueOf(value));
                case "kid" -> jwk.setKid(String.valueOf(value));
                case "use" -> jwk.setUse(String.valueOf(value));
                case "alg" -> jwk.setAlg(String.valueOf(value));
                default -> jwk.putAdditionalProperty(name, value);
            }
        });
        return jwk;
    }

    public static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
