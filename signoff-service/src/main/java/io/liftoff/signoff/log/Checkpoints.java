package io.liftoff.signoff.log;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.liftoff.signoff.canonical.Jcs;
import io.liftoff.signoff.signing.SigningKeys;
import io.liftoff.signoff.verify.LeafVerifier;

import org.springframework.stereotype.Component;

/**
 * Signed checkpoints: tree size and root hash, signed as a compact JWS over the JCS statement
 * {@code {"origin","rootHash","timestamp","treeSize"}}. The last one is kept while the tree does not grow.
 */
@Component
public class Checkpoints {

    public static final String ORIGIN = "liftoff-signoff-log";

    private final SignoffLog log;
    private final SigningKeys keys;
    private final Clock clock;
    private volatile Checkpoint last;

    public record Checkpoint(long treeSize, byte[] rootHash, String signature, String keyId, Instant timestamp) {
    }

    Checkpoints(SignoffLog log, SigningKeys keys, Clock clock) {
        this.log = log;
        this.keys = keys;
        this.clock = clock;
    }

    public Checkpoint latest() {
        long size = log.size();
        Checkpoint cached = last;
        if (cached != null && cached.treeSize() == size && cached.keyId().equals(keys.currentKeyId())) {
            return cached;
        }
        Checkpoint fresh = sign(size, log.rootHash(size));
        last = fresh;
        return fresh;
    }

    private Checkpoint sign(long size, byte[] root) {
        Instant now = clock.instant();
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("origin", ORIGIN);
        statement.put("rootHash", Base64.getEncoder().encodeToString(root));
        statement.put("timestamp", now.toString());
        statement.put("treeSize", size);
        String kid = keys.currentKeyId();
        String jws = keys.sign(LeafVerifier.CHECKPOINT_TYPE, Jcs.canonicalize(statement));
        return new Checkpoint(size, root, jws, kid, now);
    }
}
