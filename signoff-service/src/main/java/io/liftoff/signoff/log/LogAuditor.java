package io.liftoff.signoff.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import com.nimbusds.jose.jwk.JWKSet;

import io.liftoff.signoff.signing.SigningKeys;
import io.liftoff.signoff.verify.LeafVerifier;

import org.springframework.stereotype.Component;

/**
 * Re-reads the whole stored log and checks it against itself: each entry's leaf hash recomputed from its bytes, its
 * signature, and every stored subtree hash recomputed from the leaves. Linear in the log's size (batches of 1,000
 * entries by {@code _id}); the checkpoint endpoint runs it on request.
 */
@Component
public class LogAuditor {

    private static final int BATCH = 1000;

    private final SignoffLog log;
    private final SigningKeys keys;

    LogAuditor(SignoffLog log, SigningKeys keys) {
        this.log = log;
        this.keys = keys;
    }

    public record Report(long treeSize, List<Long> failingEntries, List<String> failingNodes) {

        public boolean intact() {
            return failingEntries.isEmpty() && failingNodes.isEmpty();
        }
    }

    private record Pending(int level, long index, byte[] hash) {
    }

    public Report audit() {
        long size = log.size();
        JWKSet jwks = keys.publicKeys();
        List<Long> failingEntries = new ArrayList<>();
        List<String> failingNodes = new ArrayList<>();
        Deque<Pending> stack = new ArrayDeque<>();
        for (long start = 0; start < size; start += BATCH) {
            long end = Math.min(size, start + BATCH);
            List<LogEntryRecord> batch = log.entries(LongStream.range(start, end).boxed().toList());
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
                boolean ok = Arrays.equals(recomputed, entry.leafHash())
                        && LeafVerifier.verify(entry.leaf(), LeafVerifier.SIGNOFF_TYPE, jwks).valid();
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
            Map<Long, byte[]> stored = log.storedNodes(
                    completed.stream().map(p -> new MerkleTree.NodeId(p.level(), p.index())).toList());
            for (Pending node : completed) {
                byte[] found = stored.get(SignoffLog.nodeId(node.level(), node.index()));
                if (found == null || !Arrays.equals(found, node.hash())) {
                    failingNodes.add(node.level() + "/" + node.index());
                }
            }
        }
        return new Report(size, failingEntries, failingNodes);
    }
}
