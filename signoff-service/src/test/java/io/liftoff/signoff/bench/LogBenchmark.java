package io.liftoff.signoff.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.signoff.SignoffServiceApplication;
import io.liftoff.signoff.canonical.Jcs;
import io.liftoff.signoff.history.HistoryIndex;
import io.liftoff.signoff.history.HistoryQuery;
import io.liftoff.signoff.log.LogAuditor;
import io.liftoff.signoff.log.LogEntryRecord;
import io.liftoff.signoff.log.MerkleTree;
import io.liftoff.signoff.log.SignoffLog;
import io.liftoff.signoff.signing.SigningKeys;
import io.liftoff.signoff.verify.LeafVerifier;
import org.bson.Document;
import org.bson.types.Binary;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Prints, on the embedded (in-memory) store: sign-off append (ES256 signature + log append + history postings)
 * p50/p99; inclusion proof, consistency proof and history page times (unfiltered, time range, and filters on frequent
 * and rare values) at 10,000 and at the large size (default 1,000,000) entries; checkpoint (root from stored subtrees
 * + signature) time. The large log is generated directly into the store (entries and their complete-subtree hashes,
 * as the append would write them), then indexed for history queries as the service's catch-up does. Run with {@code signoff-service/bench/run.sh [largeSize]}.
 */
public final class LogBenchmark {

    private static final int SAMPLES = 1000;
    /** {@code -Dbench.backend=h2} runs on the platform's H2 file store (in a temporary folder); default in-memory. */
    private static final String BACKEND = System.getProperty("bench.backend", "memory");

    private static String dataDir() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("liftoff-signoff-bench");
            dir.toFile().deleteOnExit();
            return dir.toString();
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    public static void main(String[] args) {
        long large = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SignoffServiceApplication.class)
                // As a command-line argument: default properties rank below liftoff-defaults.properties, whose
                // liftoff.data-dir is the user's own data folder.
                .properties("server.port=0", "liftoff.store.embedded.backend=" + BACKEND,
                        "liftoff.outbox.enabled=false", "liftoff.security.issuer-uri=https://bench.invalid",
                        "liftoff.security.jwk-set-uri=https://bench.invalid/certs", "logging.level.root=WARN",
                        "liftoff.signoff.recovery-interval=1h")
                .run("--liftoff.data-dir=" + dataDir());
        try {
            new LogBenchmark(context).run(large);
        }
        finally {
            context.close();
        }
    }

    private final SignoffLog log;
    private final SigningKeys keys;
    private final HistoryQuery history;
    private final HistoryIndex historyIndex;
    private final MongoTemplate mongo;
    private final LogAuditor logAuditor;
    private final Random random = new Random(42);
    private final CurrentUser auditor = new CurrentUser("ada", "ada", Set.of("auditor"), Set.of(), 2, Instant.now(),
            "bench");

    private LogBenchmark(ConfigurableApplicationContext context) {
        this.log = context.getBean(SignoffLog.class);
        this.keys = context.getBean(SigningKeys.class);
        this.history = context.getBean(HistoryQuery.class);
        this.historyIndex = context.getBean(HistoryIndex.class);
        this.mongo = context.getBean(MongoTemplate.class);
        this.logAuditor = context.getBean(LogAuditor.class);
    }

    private void run(long large) {
        System.out.printf("signoff-service log benchmark (embedded store, " + BACKEND
                + " backend, %d cores, max heap %d MB)%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        for (int i = 0; i < 500; i++) {
            appendSigned();
        }
        generateUpTo(10_000);
        report(10_000);
        long[] append = new long[2000];
        for (int i = 0; i < append.length; i++) {
            long start = System.nanoTime();
            appendSigned();
            append[i] = System.nanoTime() - start;
        }
        System.out.printf("append (ES256 sign + log append + history postings), 2000 at ~10k entries: p50 %.3f ms, p99 %.3f ms%n",
                pct(append, 50), pct(append, 99));
        long startGen = System.nanoTime();
        generateUpTo(large);
        System.out.printf("generated the log up to %,d entries in %.1f s%n", large,
                (System.nanoTime() - startGen) / 1e9);
        report(large);
        long[] appendLarge = new long[1000];
        for (int i = 0; i < appendLarge.length; i++) {
            long start = System.nanoTime();
            appendSigned();
            appendLarge[i] = System.nanoTime() - start;
        }
        System.out.printf("append (ES256 sign + log append + history postings), 1000 at %,d entries: p50 %.3f ms, p99 %.3f ms%n", large,
                pct(appendLarge, 50), pct(appendLarge, 99));
    }

    private void report(long expected) {
        long size = log.size();
        System.out.printf("--- at %,d entries (asked %,d)%n", size, expected);
        long[] inclusion = new long[SAMPLES];
        long[] consistency = new long[SAMPLES];
        long[] page = new long[SAMPLES];
        long[] deepPage = new long[SAMPLES];
        for (int round = 0; round < 2; round++) { // the first round warms up
            for (int i = 0; i < SAMPLES; i++) {
                long index = (long) (random.nextDouble() * size);
                long t0 = System.nanoTime();
                List<byte[]> proof = log.inclusionProof(index, size);
                inclusion[i] = System.nanoTime() - t0;
                if (proof.size() > 64) {
                    throw new IllegalStateException();
                }
                long first = 1 + (long) (random.nextDouble() * (size - 1));
                t0 = System.nanoTime();
                log.consistencyProof(first, size);
                consistency[i] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                history.page(auditor, new HistoryQuery.Filter(null, null, null, null, null, null, null), null, 50);
                page[i] = System.nanoTime() - t0;
                String cursor = java.util.Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(("i:" + (50 + (long) (random.nextDouble() * (size - 50))))
                                .getBytes(StandardCharsets.UTF_8));
                t0 = System.nanoTime();
                history.page(auditor, new HistoryQuery.Filter(null, null, null, null, null, null, null), cursor, 50);
                deepPage[i] = System.nanoTime() - t0;
            }
        }
        System.out.printf("inclusion proof: p50 %.3f ms, p99 %.3f ms%n", pct(inclusion, 50), pct(inclusion, 99));
        System.out.printf("consistency proof: p50 %.3f ms, p99 %.3f ms%n", pct(consistency, 50),
                pct(consistency, 99));
        System.out.printf("history page (50, newest): p50 %.3f ms, p99 %.3f ms%n", pct(page, 50), pct(page, 99));
        System.out.printf("history page (50, random cursor): p50 %.3f ms, p99 %.3f ms%n", pct(deepPage, 50),
                pct(deepPage, 99));
        long[] ranged = new long[200];
        Instant from = Instant.ofEpochMilli(BASE_TIME + size / 2 * 1000);
        for (int i = 0; i < ranged.length; i++) {
            long t0 = System.nanoTime();
            history.page(auditor, new HistoryQuery.Filter(null, null, null, null, null, from, from.plusSeconds(3600)),
                    null, 50);
            ranged[i] = System.nanoTime() - t0;
        }
        System.out.printf("history page (50, one-hour time range, binary search): p50 %.3f ms, p99 %.3f ms%n",
                pct(ranged, 50), pct(ranged, 99));
        CurrentUser shopfrontEngineer = new CurrentUser("eve", "eve", Set.of("engineer"), Set.of("shopfront"), 2,
                Instant.now(), "bench");
        filtered(auditor, new HistoryQuery.Filter(null, null, "signer-3", null, null, null, null), size,
                "signer filter, 1 in 7 entries match");
        filtered(auditor, new HistoryQuery.Filter(null, null, null, "qa-lead", null, null, null), size,
                "role filter, 1 in 7 entries match");
        filtered(auditor, new HistoryQuery.Filter(null, null, null, null, "REJECT", null, null), size,
                "decision filter, 1 in 1,000 entries match");
        filtered(auditor, new HistoryQuery.Filter(null, null, "external-auditor", null, null, null, null), size,
                "signer filter, 1 in 100,000 entries match");
        filtered(shopfrontEngineer, new HistoryQuery.Filter(null, null, null, null, null, null, null), size,
                "no filter, caller reads 1 product of 1 in 500 entries");
        filtered(auditor, new HistoryQuery.Filter(null, null, "signer-3", null, "REJECT", null, null), size,
                "signer and decision filters, 1 in 7,000 entries match");
        long[] checkpoint = new long[200];
        for (int i = 0; i < checkpoint.length; i++) {
            long t0 = System.nanoTime();
            byte[] root = log.rootHash(size);
            keys.sign(LeafVerifier.CHECKPOINT_TYPE, Jcs.canonicalize(Map.of("origin", "bench", "rootHash",
                    java.util.Base64.getEncoder().encodeToString(root), "treeSize", size)));
            checkpoint[i] = System.nanoTime() - t0;
        }
        System.out.printf("checkpoint (root from stored subtrees + ES256): p50 %.3f ms, p99 %.3f ms%n",
                pct(checkpoint, 50), pct(checkpoint, 99));
        long t0 = System.nanoTime();
        logAuditor.backgroundAudit();
        System.out.printf("background audit (re-hash every entry and subtree, no signatures): %.1f s, %s%n",
                (System.nanoTime() - t0) / 1e9, logAuditor.lastFailure() == null ? "intact" : "FAILED");
    }

    /** A filtered page, newest and at random cursors: p50/p99 of 100 each, after a warm-up round. */
    private void filtered(CurrentUser user, HistoryQuery.Filter filter, long size, String what) {
        long[] newest = new long[100];
        long[] deep = new long[100];
        int found = 0;
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < newest.length; i++) {
                long t0 = System.nanoTime();
                found = history.page(user, filter, null, 50).items().size();
                newest[i] = System.nanoTime() - t0;
                String cursor = java.util.Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(("i:" + (long) (random.nextDouble() * size)).getBytes(StandardCharsets.UTF_8));
                t0 = System.nanoTime();
                history.page(user, filter, cursor, 50);
                deep[i] = System.nanoTime() - t0;
            }
        }
        System.out.printf("history page (50, %s; newest page had %d): newest p50 %.3f ms, p99 %.3f ms; "
                + "random cursor p50 %.3f ms, p99 %.3f ms%n", what, found, pct(newest, 50), pct(newest, 99),
                pct(deep, 50), pct(deep, 99));
    }

    private static final long BASE_TIME = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private void appendSigned() {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("type", "signoff");
        statement.put("id", id);
        statement.put("releaseId", "bench-release");
        statement.put("role", "qa-lead");
        statement.put("decision", "APPROVE");
        statement.put("digest", "0".repeat(64));
        statement.put("signedAt", now.toString());
        byte[] leaf = keys.sign(LeafVerifier.SIGNOFF_TYPE, Jcs.canonicalize(statement))
                .getBytes(StandardCharsets.UTF_8);
        log.append(new LogEntryRecord(-1, leaf, MerkleTree.leafHash(leaf), id, "signoff", "bench-release",
                "toolboxai", "PRE_RELEASE", "qa-lead", "APPROVE", "quinn", "quinn", 1, "0".repeat(64), now, 2, now,
                null));
        historyIndex.catchUp(); // as the sign-off service does after every append
    }

    /**
     * Writes entries size..target-1 straight into the store with the subtree hashes the append would write; the leaf
     * is a JWS-sized synthetic statement (generation would take minutes if each were ES256-signed).
     */
    private void generateUpTo(long target) {
        long size = log.size();
        MongoCollection<Document> entries = mongo.getCollection(SignoffLog.ENTRIES);
        MongoCollection<Document> nodes = mongo.getCollection(SignoffLog.NODES);
        Deque<byte[]> stack = new ArrayDeque<>();
        List<Integer> levels = new ArrayList<>();
        // Rebuild the compact range (the right edge) of the existing tree from its stored complete subtrees.
        long covered = 0;
        for (int level = 62; level >= 0; level--) {
            if ((size & (1L << level)) != 0) {
                byte[] hash = log.fetch(Set.of(new MerkleTree.NodeId(level, covered >> level))).node(level,
                        covered >> level);
                stack.push(hash);
                levels.add(0, level);
                covered += 1L << level;
            }
        }
        Deque<Integer> levelStack = new ArrayDeque<>(levels);
        byte[] padding = new byte[560];
        Arrays.fill(padding, (byte) 'A');
        List<Document> entryBatch = new ArrayList<>();
        List<Document> nodeBatch = new ArrayList<>();
        String[] roles = { "engineering-manager", "security-lead", "qa-lead", "devops-lead", "product-manager",
                "release-manager", "engineering-lead" };
        for (long index = size; index < target; index++) {
            byte[] leaf = ("eyJhbGciOiJFUzI1NiJ9." + index + "." + new String(padding, StandardCharsets.US_ASCII))
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] hash = MerkleTree.leafHash(leaf);
            int role = (int) (index % 7);
            // Rare values for the filtered queries: 1 in 1,000 a rejection, 1 in 100,000 an outside signer, 1 in 500
            // another product.
            String decision = index % 1000 == 999 ? "REJECT" : "APPROVE";
            String signer = index % 100_000 == 77_777 ? "external-auditor" : "signer-" + role;
            String product = index % 500 == 250 ? "shopfront" : "toolboxai";
            Instant signedAt = Instant.ofEpochMilli(BASE_TIME + index * 1000);
            entryBatch.add(new Document("_id", index).append("leaf", new Binary(leaf))
                    .append("leafHash", new Binary(hash)).append("signoffId", "gen-" + index)
                    .append("type", "signoff").append("releaseId", "release-" + (index / 7))
                    .append("product", product).append("phase", role < 5 ? "PRE_RELEASE" : "POST_RELEASE")
                    .append("role", roles[role]).append("decision", decision).append("signer", signer)
                    .append("signerName", signer).append("checklistVersion", 1L)
                    .append("digest", "0".repeat(64)).append("signedAt", Date.from(signedAt)).append("acr", 2)
                    .append("authTime", Date.from(signedAt)));
            int level = 0;
            long position = index;
            while (!levelStack.isEmpty() && levelStack.peek() == level) {
                levelStack.pop();
                hash = MerkleTree.nodeHash(stack.pop(), hash);
                level++;
                position >>= 1;
                nodeBatch.add(new Document("_id", SignoffLog.nodeId(level, position)).append("h", new Binary(hash)));
            }
            stack.push(hash);
            levelStack.push(level);
            if (entryBatch.size() == 10_000) {
                flush(entries, nodes, entryBatch, nodeBatch, index + 1);
            }
        }
        flush(entries, nodes, entryBatch, nodeBatch, target);
        long t0 = System.nanoTime();
        long indexed = historyIndex.catchUp();
        System.out.printf("history postings for %,d generated entries written in %.1f s%n", indexed,
                (System.nanoTime() - t0) / 1e9);
    }

    private void flush(MongoCollection<Document> entries, MongoCollection<Document> nodes, List<Document> entryBatch,
            List<Document> nodeBatch, long size) {
        if (!entryBatch.isEmpty()) {
            entries.insertMany(entryBatch);
        }
        if (!nodeBatch.isEmpty()) {
            nodes.insertMany(nodeBatch);
        }
        entryBatch.clear();
        nodeBatch.clear();
        mongo.getCollection(SignoffLog.STATE).replaceOne(Filters.eq("_id", "tree"),
                new Document("_id", "tree").append("size", size), new ReplaceOptions().upsert(true));
    }

    private static double pct(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int at = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, at)] / 1e6;
    }
}
