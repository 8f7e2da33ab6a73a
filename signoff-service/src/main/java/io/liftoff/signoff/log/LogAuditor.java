package io.liftoff.signoff.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import com.nimbusds.jose.jwk.JWKSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.liftoff.signoff.signing.SigningKeys;
import io.liftoff.signoff.verify.LeafVerifier;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Re-reads the whole stored log and checks it against itself: each entry's leaf hash recomputed from its bytes, its
 * signature, and every stored subtree hash recomputed from the leaves. Linear in the log's size (batches of 1,000
 * entries by {@code _id}). The checkpoint endpoint runs it on request ({@code verify=true}); a background pass every
 * {@code liftoff.signoff.audit-interval} re-hashes the log (signatures are left to the on-request pass, which is the
 * costly part) and, once it has found a changed entry, the checkpoint endpoint refuses to sign a checkpoint until a
 * full pass finds the log intact again.
 */
@Component
public class LogAuditor {

    private static final int BATCH = 1000;

    private static final Logger log = LoggerFactory.getLogger(LogAuditor.class);

    private final SignoffLog signoffLog;
    private final SigningKeys keys;

    LogAuditor(SignoffLog log, SigningKeys keys) {
        this.signoffLog = log;
        this.keys = keys;
    }

    public record Report(long treeSize, List<Long> failingEntries, List<String> failingNodes) {

        public boolean intact() {
            return failingEntries.isEmpty() && failingNodes.isEmpty();
        }
    }

    private record Pending(int level, long index, byte[] hash) {
    }

    private volatile Report lastFailure;
    private volatile boolean lastFailureNeedsSignatures;

    /** The failures the latest pass found, or null when it found the log intact. */
    public Report lastFailure() {
        return lastFailure;
    }

    @Scheduled(initialDelayString = "${liftoff.signoff.audit-interval:1h}",
            fixedDelayString = "${liftoff.signoff.audit-interval:1h}")
    public void backgroundAudit() {
        Report report = audit(false);
        if (!report.intact()) {
            log.error("Sign-off log integrity failure: entries {} nodes {}", report.failingEntries(),
                    report.failingNodes());
        }
    }

    public Report audit() {
        return audit(true);
    }

    private synchronized Report audit(boolean signatures) {
        long size = signoffLog.size();
        JWKSet jwks = signatures ? keys.publicKeys() : null;
        List<Long> failingEntries = new ArrayList<>();
        List<String> failingNodes = new ArrayList<>();
        Deque<Pending> stack = new ArrayDeque<>();
        for (long start = 0; start < size; start += BATCH) {
            long end = Math.min(size, start + BATCH);
            List<LogEntryRecord> batch = signoffLog.entries(LongStream.range(start, end).boxed().toList());
            if (batch.size() != end - start) {
                for (long i = start; i < end; i++) {
                    long index = i;
                    if (batch.stream().noneMatch(e -> e.index() == index)) {
                        failingEntries.add(index);
                    }
                }
            }
            List<Pending> completed = new ArrayList<>();
            for (LogEntryRecord entry : batch) {
                byte[] recomputed = MerkleTree.leafHash(entry.leaf());
                boolean ok = Arrays.equals(recomputed, entry.leafHash()) && (!signatures
                        || LeafVerifier.verify(entry.leaf(), LeafVerifier.SIGNOFF_TYPE, jwks).valid());
                if (!ok) {
                    failingEntries.add(entry.index());
                }
                Pending node = new Pending(0, entry.index(), recomputed);
                while (!stack.isEmpty() && stack.peek().level() == node.level()) {
                    Pending left = stack.pop();
                    node = new Pending(node.level() + 1, left.index() / 2,
                            MerkleTree.nodeHash(left.hash(), node.hash()));
                    completed.add(node);
                }
                stack.push(node);
            }
            Map<Long, byte[]> stored = signoffLog.storedNodes(
                    completed.stream().map(p -> new MerkleTree.NodeId(p.level(), p.index())).toList());
            for (Pending node : completed) {
                byte[] found = stored.get(SignoffLog.nodeId(node.level(), node.index()));
                if (found == null || !Arrays.equals(found, node.hash())) {
                    failingNodes.add(node.level() + "/" + node.index());
                }
            }
        }
        Report report = new Report(size, failingEntries, failingNodes);
        if (!report.intact()) {
            lastFailure = report;
            lastFailureNeedsSignatures = signatures;
        }
        else if (signatures || !lastFailureNeedsSignatures) {
            // A pass at least as thorough as the one that found the failure now finds the log intact.
            lastFailure = null;
        }
        return report;
    }
}
