package io.liftoff.signoff.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.mongodb.client.model.Filters;
import io.liftoff.signoff.canonical.Jcs;
import io.liftoff.signoff.signing.SigningKeys;
import io.liftoff.signoff.signoff.ReleaseSignoffs;
import io.liftoff.signoff.signoff.SignoffRecord;
import io.liftoff.signoff.signoff.SignoffService;
import io.liftoff.signoff.support.AbstractIntegrationTest;
import io.liftoff.signoff.verify.LeafVerifier;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

class SignoffLogTest extends AbstractIntegrationTest {

    @Autowired
    SignoffLog log;

    @Autowired
    SigningKeys keys;

    @Autowired
    LogAuditor auditor;

    @Autowired
    SignoffService signoffs;

    private LogEntryRecord entry() {
        String id = UUID.randomUUID().toString();
        byte[] leaf = keys.sign(LeafVerifier.SIGNOFF_TYPE, Jcs.canonicalize(Map.of("type", "signoff", "id", id)))
                .getBytes(StandardCharsets.UTF_8);
        return new LogEntryRecord(-1, leaf, MerkleTree.leafHash(leaf), id, "signoff", "r-" + id, "toolboxai",
                "PRE_RELEASE", "qa-lead", "APPROVE", "quinn", "quinn", 1, "00", Instant.now(), 2, Instant.now(), null);
    }

    @Test
    void concurrentAppendsGetContiguousIndexesAndTheTreeStaysIntact() throws Exception {
        long before = log.size();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Long>> results = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            LogEntryRecord entry = entry();
            results.add(pool.submit(() -> log.append(entry)));
        }
        Set<Long> indexes = new HashSet<>();
        for (Future<Long> result : results) {
            indexes.add(result.get());
        }
        pool.shutdown();
        assertThat(indexes).hasSize(60);
        assertThat(log.size()).isEqualTo(before + 60);
        for (long i = before; i < before + 60; i++) {
            assertThat(indexes).contains(i);
        }
        assertThat(auditor.audit().intact()).isTrue();
    }

    @Test
    void proofsReadThroughTheNodeCacheVerifyAsTheLogGrows() {
        for (int i = 0; i < 40; i++) {
            log.append(entry());
            long size = log.size();
            byte[] root = log.rootHash(size);
            // Every proof is read again after the first reads filled the cache; all of them must still verify.
            for (int pass = 0; pass < 2; pass++) {
                for (long index = Math.max(0, size - 20); index < size; index++) {
                    byte[] leafHash = log.entry(index).leafHash();
                    assertThat(MerkleTree.verifyInclusion(index, size, leafHash, log.inclusionProof(index, size), root))
                            .as("inclusion of %d in %d", index, size).isTrue();
                }
                for (long first = Math.max(1, size - 20); first < size; first++) {
                    assertThat(MerkleTree.verifyConsistency(first, size, log.rootHash(first), root,
                            log.consistencyProof(first, size))).as("consistency %d..%d", first, size).isTrue();
                }
            }
        }
    }

    @Test
    void appendingTheSameStatementTwiceLogsItOnce() {
        LogEntryRecord entry = entry();
        long index = log.append(entry);
        assertThat(log.append(entry)).isEqualTo(index);
        assertThat(log.size()).isEqualTo(index + 1);
    }

    @Test
    void anEntryLeftUncommittedByACrashIsFinishedByTheNextAppend() {
        long size = log.size();
        LogEntryRecord orphan = entry();
        // The crash: the entry document is written at the committed size, its subtree hashes and the size are not.
        mongo.getCollection(SignoffLog.ENTRIES).insertOne(SignoffLog.toDocument(orphan, size));
        assertThat(log.size()).isEqualTo(size);

        long next = log.append(entry());
        assertThat(next).isEqualTo(size + 1);
        assertThat(log.size()).isEqualTo(size + 2);
        assertThat(log.entry(size).signoffId()).isEqualTo(orphan.signoffId());
        assertThat(auditor.audit().intact()).isTrue();
    }

    @Test
    void aStoreWithAHoleRefusesTheAppendInsteadOfSkippingTheMissingEntry() {
        long size = log.size();
        LogEntryRecord stray = entry();
        // Damage no append can cause: an entry one past the committed size, none at it.
        mongo.getCollection(SignoffLog.ENTRIES).insertOne(SignoffLog.toDocument(stray, size + 1));
        try {
            assertThatThrownBy(() -> log.append(stray)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no entry " + size).hasMessageContaining("damaged");
            assertThat(log.size()).isEqualTo(size);
        }
        finally {
            mongo.getCollection(SignoffLog.ENTRIES).deleteOne(Filters.eq("_id", size + 1));
        }
        assertThat(auditor.audit().intact()).isTrue();
    }

    @Test
    void aSignoffRecordedButNotLoggedIsAppendedByTheRecovery() {
        // The crash between recording and logging: the release's document holds a signed record without a log index.
        String releaseId = "crashed-" + UUID.randomUUID();
        String signoffId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        String jws = keys.sign(LeafVerifier.SIGNOFF_TYPE, Jcs.canonicalize(Map.of("type", "signoff", "id", signoffId,
                "releaseId", releaseId)));
        ReleaseSignoffs document = new ReleaseSignoffs();
        document.setReleaseId(releaseId);
        document.setProduct("toolboxai");
        document.setEntries(List.of(new SignoffRecord(signoffId, "signoff", "PRE_RELEASE", "qa-lead", "APPROVE",
                "quinn", "quinn", null, List.of(), null, 1, "00", now, 2, now, keys.currentKeyId(), jws, null,
                null)));
        mongo.insert(document);

        assertThat(signoffs.logPending()).isGreaterThanOrEqualTo(1);
        Document logged = mongo.getCollection(SignoffLog.ENTRIES).find(Filters.eq("signoffId", signoffId)).first();
        assertThat(logged).isNotNull();
        assertThat(mongo.findById(releaseId, ReleaseSignoffs.class).getEntries().get(0).logIndex())
                .isEqualTo(((Number) logged.get("_id")).longValue());
        assertThat(signoffs.logPending()).isZero();
        assertThat(auditor.audit().intact()).isTrue();
    }
}
