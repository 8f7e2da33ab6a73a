package io.liftoff.signoff.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.mongodb.client.model.Filters;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.signoff.canonical.Jcs;
import io.liftoff.signoff.log.LogEntryRecord;
import io.liftoff.signoff.log.MerkleTree;
import io.liftoff.signoff.log.SignoffLog;
import io.liftoff.signoff.signing.SigningKeys;
import io.liftoff.signoff.support.AbstractIntegrationTest;
import io.liftoff.signoff.verify.LeafVerifier;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

class HistoryIndexTest extends AbstractIntegrationTest {

    @Autowired
    SignoffLog log;

    @Autowired
    HistoryIndex index;

    @Autowired
    HistoryQuery history;

    private static final CurrentUser AUDITOR = new CurrentUser("ada", "ada", Set.of("auditor"), Set.of(), 2,
            Instant.now(), "test");

    @Autowired
    SigningKeys keys;

    /** An entry for the index alone: nothing reads its leaf. */
    private static LogEntryRecord entry(long index, String product, String signer, String decision) {
        return entry(index, product, signer, decision, ("leaf-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
    }

    /** An entry for the log: its leaf is a real signed statement, as the log's auditor checks every one it finds. */
    private LogEntryRecord logged(String product, String signer, String decision) {
        return entry(-1, product, signer, decision, keys.sign(LeafVerifier.SIGNOFF_TYPE, Jcs.canonicalize(Map.of(
                "type", "signoff", "id", UUID.randomUUID().toString()))).getBytes(StandardCharsets.UTF_8));
    }

    private static LogEntryRecord entry(long index, String product, String signer, String decision, byte[] leaf) {
        return new LogEntryRecord(index, leaf, MerkleTree.leafHash(leaf), UUID.randomUUID().toString(), "signoff",
                "r-" + UUID.randomUUID(), product, "PRE_RELEASE", "qa-lead", decision, signer + "-subject", signer, 1,
                "00", Instant.now(), 2, Instant.now(), null);
    }

    private static List<Long> drain(Iterator<Long> indexes) {
        List<Long> result = new ArrayList<>();
        indexes.forEachRemaining(result::add);
        return result;
    }

    private List<Long> page(CurrentUser user, HistoryQuery.Filter filter) {
        List<Long> indexes = new ArrayList<>();
        String cursor = null;
        do {
            HistoryQuery.Page page = history.page(user, filter, cursor, 3);
            page.items().forEach(e -> indexes.add(e.index()));
            cursor = page.nextCursor();
        }
        while (cursor != null);
        return indexes;
    }

    @Test
    void listsSpanBucketsNewestFirstWithinTheRangeAndWritingTwiceChangesNothing() {
        String signer = "s-" + UUID.randomUUID();
        List<LogEntryRecord> entries = new ArrayList<>();
        for (long i : new long[] { 3, 1023, 1024, 5000, 70_000 }) {
            entries.add(entry(i, "toolboxai", signer, "APPROVE"));
        }
        index.index(entries);
        index.index(entries.subList(1, 3));

        assertThat(drain(index.indexes(HistoryIndex.Field.SIGNER, Set.of(signer), 0, 100_000)))
                .containsExactly(70_000L, 5000L, 1024L, 1023L, 3L);
        assertThat(drain(index.indexes(HistoryIndex.Field.SIGNER, Set.of(signer + "-subject"), 1024, 70_000)))
                .containsExactly(5000L, 1024L);
        assertThat(drain(index.indexes(HistoryIndex.Field.SIGNER, Set.of("nobody-" + signer), 0, 100_000)))
                .isEmpty();
        assertThat(index.estimate(HistoryIndex.Field.SIGNER, signer)).isEqualTo(4);
        assertThat(index.estimate(HistoryIndex.Field.SIGNER, "nobody-" + signer)).isZero();
        Document bucket = mongo.getCollection(HistoryIndex.POSTINGS)
                .find(Filters.eq("_id", HistoryIndex.bucketId(HistoryIndex.Field.SIGNER, 0, signer))).first();
        java.util.BitSet bits = java.util.BitSet.valueOf(bucket.get("bits", org.bson.types.Binary.class).getData());
        assertThat(bits.stream().boxed().toList()).containsExactly(3, 1023);
        assertThat(bucket.get("v", Long.class)).isEqualTo(1L); // the second pass found its bits set and wrote nothing
    }

    @Test
    void concurrentWritersToTheSameBucketsLoseNoBit() throws Exception {
        String signer = "s-" + UUID.randomUUID();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int writer = 0; writer < 4; writer++) {
            int first = writer;
            done.add(pool.submit(() -> {
                for (long i = first; i < 2048; i += 4) {
                    index.index(List.of(entry(i, "toolboxai", signer, "APPROVE")));
                }
            }));
        }
        for (java.util.concurrent.Future<?> writer : done) {
            writer.get();
        }
        pool.shutdown();
        List<Long> all = drain(index.indexes(HistoryIndex.Field.SIGNER, Set.of(signer), 0, 2048));
        assertThat(all).hasSize(2048);
        assertThat(all.get(0)).isEqualTo(2047L);
        assertThat(all.get(2047)).isZero();
    }

    @Test
    void productListsOfSeveralProductsMergeNewestFirst() {
        String a = "p-" + UUID.randomUUID();
        String b = "p-" + UUID.randomUUID();
        index.index(List.of(entry(10, a, "x", "APPROVE"), entry(2000, b, "x", "APPROVE"), entry(2001, a, "x",
                "APPROVE"), entry(9000, b, "x", "APPROVE")));
        assertThat(drain(index.indexes(HistoryIndex.Field.PRODUCT, List.of(a, b), 0, 10_000)))
                .containsExactly(9000L, 2001L, 2000L, 10L);
    }

    @Test
    void intersectionsWalkTheListsTogetherAcrossBucketsAndProducts() {
        String signer = "s-" + UUID.randomUUID();
        String a = "p-" + UUID.randomUUID();
        String b = "p-" + UUID.randomUUID();
        List<LogEntryRecord> entries = new ArrayList<>();
        List<Long> expected = new ArrayList<>();
        // The signer signs every 3rd entry; rejections are every 1,000th; products alternate by block of 5,000.
        for (long i = 0; i < 20_000; i++) {
            boolean signs = i % 3 == 0;
            boolean rejects = i % 1000 == 999 || i == 12_345;
            String product = (i / 5000) % 2 == 0 ? a : b;
            if (signs || rejects) {
                entries.add(entry(i, product, signs ? signer : "other-" + signer, rejects ? "REJECT-" + a : "APPROVE"));
            }
            if (signs && rejects && i < 15_000 && i >= 1000) {
                expected.add(0, i);
            }
        }
        index.index(entries);
        java.util.Map<HistoryIndex.Field, Set<String>> lists = new java.util.EnumMap<>(HistoryIndex.Field.class);
        lists.put(HistoryIndex.Field.SIGNER, Set.of(signer));
        lists.put(HistoryIndex.Field.DECISION, Set.of("REJECT-" + a));
        lists.put(HistoryIndex.Field.PRODUCT, Set.of(a, b));
        assertThat(expected).containsExactly(12_999L, 12_345L, 9_999L, 6_999L, 3_999L);
        assertThat(drain(index.intersection(lists, 1000, 15_000))).isEqualTo(expected);

        lists.put(HistoryIndex.Field.PRODUCT, Set.of(b));
        assertThat(drain(index.intersection(lists, 0, 20_000))).containsExactly(18_999L, 15_999L, 9_999L, 6_999L);
    }

    @Test
    void queriesFindEntriesAppendedBeforeTheirPostingsAndCatchUpIndexesThem() {
        index.catchUp();
        String rare = "rare-" + UUID.randomUUID();
        String product = "prod-" + UUID.randomUUID();
        List<Long> rareIndexes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            boolean isRare = i % 4 == 1;
            long at = log.append(logged(i % 3 == 0 ? product : "toolboxai", isRare ? rare : "common",
                    isRare ? "REJECT" : "APPROVE"));
            if (isRare) {
                rareIndexes.add(0, at);
            }
        }
        // Appended straight to the log: no postings yet, so the query scans what lies above the watermark.
        long size = log.size();
        assertThat(index.indexedUpTo()).isLessThan(size);
        HistoryQuery.Filter bySigner = new HistoryQuery.Filter(null, null, rare, null, null, null, null);
        assertThat(page(AUDITOR, bySigner)).isEqualTo(rareIndexes);

        assertThat(index.catchUp()).isGreaterThanOrEqualTo(12);
        assertThat(index.indexedUpTo()).isEqualTo(size);
        assertThat(page(AUDITOR, bySigner)).isEqualTo(rareIndexes);
        assertThat(drain(index.indexes(HistoryIndex.Field.SIGNER, Set.of(rare), 0, size))).isEqualTo(rareIndexes);
        assertThat(index.catchUp()).isZero();

        HistoryQuery.Filter bySignerAndDecision = new HistoryQuery.Filter(null, null, rare, null, "REJECT", null,
                null);
        assertThat(page(AUDITOR, bySignerAndDecision)).isEqualTo(rareIndexes);
        assertThat(page(AUDITOR, new HistoryQuery.Filter(null, null, rare, null, "APPROVE", null, null))).isEmpty();

        // Someone who reads only one product gets that product's entries through its list, nothing else.
        CurrentUser engineer = new CurrentUser("eve", "eve", Set.of("engineer"), Set.of(product), 1, Instant.now(),
                "test");
        List<Long> mine = page(engineer, new HistoryQuery.Filter(null, null, null, null, null, null, null));
        assertThat(mine).hasSize(4);
        mine.forEach(i -> assertThat(log.entry(i).product()).isEqualTo(product));
        assertThat(page(engineer, new HistoryQuery.Filter(null, "toolboxai", null, null, null, null, null))).isEmpty();
    }
}
