package io.liftoff.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.liftoff.common.store.IdleCompaction.Outcome;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store is compacted only once it has been idle, or under load when its chunks are less than half full; the data
 * stays as it was. Commits are made by the test (H2's auto-commit is off) and the clock is the test's.
 */
class IdleCompactionTest {

    private static final long SECOND = 1_000_000_000L;
    private static final String VALUE = "v".repeat(1000);
    private static final int VALUES = 20_000;
    private static final long MB = 1024 * 1024;

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong();
    private MVStore store;
    private LiftoffH2Backend backend;

    @AfterEach
    void close() {
        if (backend != null) {
            backend.close(); // stops its compaction thread, which must not outlive a failed test
        }
        if (store != null) {
            store.close();
        }
    }

    private MVMap<Integer, String> open() {
        store = new MVStore.Builder().fileName(dir.resolve("probe.mv").toString()).autoCommitDisabled()
                .autoCompactFillRate(0).open();
        store.setRetentionTime(0); // chunks may be rewritten at once (45 s later by default)
        store.setVersionsToKeep(0); // as the services open it
        return store.openMap("data");
    }

    /** 20,000 values of a kilobyte in 20 commits (chunks), about 20 MB. */
    private MVMap<Integer, String> filled() {
        MVMap<Integer, String> data = open();
        for (int i = 0; i < VALUES; i++) {
            data.put(i, VALUE + i);
            if (i % 1000 == 999) {
                store.commit();
            }
        }
        return data;
    }

    /** {@link #filled()}, then nine tenths of every chunk's values removed in one commit. */
    private MVMap<Integer, String> mostlyRemoved() {
        MVMap<Integer, String> data = filled();
        for (int i = 0; i < VALUES; i++) {
            if (i % 1000 < 900) {
                data.remove(i);
            }
        }
        store.commit();
        return data;
    }

    private int chunksFill() {
        return store.getFileStore().getChunksFillRate();
    }

    @Test
    void aBusyStoreIsLeftAloneAndCompactedOnceIdle() {
        MVMap<Integer, String> data = filled();
        for (int i = 0; i < VALUES; i++) {
            if (i % 1000 < 500) {
                data.put(i, VALUE + i + "'"); // the first half of every chunk dies
            }
        }
        store.commit();
        int before = chunksFill();
        long fileBefore = store.getFileStore().size();
        assertThat(before).as("chunks fill after rewriting half the values").isBetween(45, 85);
        IdleCompaction compaction = IdleCompaction.manual(store, 90, Duration.ofSeconds(5), MB, clock::get);

        assertThat(compaction.check()).isEqualTo(Outcome.NOTHING); // first look: counts as activity
        clock.addAndGet(3 * SECOND);
        assertThat(compaction.check()).as("quiet for 3 s of 5").isEqualTo(Outcome.NOTHING);
        data.put(VALUES, "a change");
        store.commit();
        clock.addAndGet(3 * SECOND);
        assertThat(compaction.check()).as("a commit since the last look").isEqualTo(Outcome.NOTHING);
        clock.addAndGet(3 * SECOND);
        assertThat(compaction.check()).as("quiet for 3 s again").isEqualTo(Outcome.NOTHING);
        assertThat(chunksFill()).isEqualTo(before);

        clock.addAndGet(3 * SECOND);
        assertThat(compaction.check()).as("quiet for 6 s").isEqualTo(Outcome.REWROTE);
        int looks = 1;
        while (compaction.check() != Outcome.NOTHING && looks++ < 20) {
            clock.addAndGet(SECOND);
        }

        assertThat(chunksFill()).isGreaterThanOrEqualTo(90);
        assertThat(store.getFillRate()).as("the file, after moving chunks").isGreaterThanOrEqualTo(90);
        assertThat(store.getFileStore().size()).isLessThan(fileBefore);
        assertThat(compaction.check()).as("nothing left to do").isEqualTo(Outcome.NOTHING);
        for (int i = 0; i < VALUES; i++) {
            assertThat(data.get(i)).isEqualTo(VALUE + i + (i % 1000 < 500 ? "'" : ""));
        }
        assertThat(data.get(VALUES)).isEqualTo("a change");
    }

    @Test
    void underLoadChunksLessThanHalfAsFullAsTheRateAreRewritten() {
        MVMap<Integer, String> data = mostlyRemoved();
        int before = chunksFill();
        assertThat(before).as("chunks fill after removing 90 % of the values").isLessThan(45);
        IdleCompaction compaction = IdleCompaction.manual(store, 90, Duration.ofSeconds(5), MB, clock::get);

        // H2 frees a rewritten chunk at a later commit: a few looks, each after a change as under load
        for (int look = 0; look < 3; look++) {
            data.put(VALUES + look, "a change");
            assertThat(compaction.check()).as("unsaved changes: busy").isIn(Outcome.REWROTE_BUSY, Outcome.NOTHING);
            store.commit();
        }

        assertThat(chunksFill()).isGreaterThanOrEqualTo(45);
        for (int i = 0; i < VALUES; i++) {
            assertThat(data.get(i)).isEqualTo(i % 1000 < 900 ? null : VALUE + i);
        }
        assertThat(data.get(VALUES + 2)).isEqualTo("a change");
    }

    @Test
    void deadSpaceUnderTheLeastWorthReclaimingIsLeftAlone() {
        MVMap<Integer, String> data = mostlyRemoved();
        int before = chunksFill();
        IdleCompaction compaction = IdleCompaction.manual(store, 90, Duration.ofSeconds(5), 1024 * MB, clock::get);

        for (int i = 0; i < 5; i++) {
            data.put(VALUES + i, "a change"); // busy, with chunks far less than half full
            assertThat(compaction.check()).isEqualTo(Outcome.NOTHING);
            store.commit();
        }
        for (int i = 0; i < 5; i++) {
            clock.addAndGet(10 * SECOND); // idle
            assertThat(compaction.check()).isEqualTo(Outcome.NOTHING);
        }

        assertThat(chunksFill()).isLessThanOrEqualTo(before);
    }

    /** The real thing: the backend's own compaction thread, a store of 60 MB in chunks of up to 16 MB. */
    @Test
    void theBackendsCompactionShrinksAnIdleStoreAndKeepsEveryValue() throws Exception {
        store = new MVStore.Builder().fileName(dir.resolve("probe.mv").toString()).autoCompactFillRate(0)
                .autoCommitBufferSize(16 * 1024).open();
        store.setVersionsToKeep(0);
        store.setRetentionTime(0); // H2 rewrites only chunks older than this (45 s by default)
        backend = new LiftoffH2Backend(store, 90, Duration.ofSeconds(1));
        MVMap<Integer, String> data = store.openMap("data");
        int values = 60_000;
        for (int i = 0; i < values; i++) {
            data.put(i, VALUE + i);
        }
        store.commit();
        for (int i = 0; i < values; i++) {
            if (i % 1000 < 500) {
                data.put(i, VALUE + i + "'");
            }
        }
        store.commit();
        long before = store.getFileStore().size();
        long started = System.nanoTime();

        // about 58 of the 87 MB are live: at 85 % fill the file is at most 68 MB, four fifths of what it was
        long deadline = System.nanoTime() + 60 * SECOND;
        while ((chunksFill() < 85 || store.getFillRate() < 85 || store.getFileStore().size() > before * 4 / 5)
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        // (it stops within a few points of the rate once its steps stop gaining: the file at 89 % in one run of five)
        assertThat(chunksFill()).isGreaterThanOrEqualTo(85);
        assertThat(store.getFillRate()).isGreaterThanOrEqualTo(85);
        assertThat(store.getFileStore().size()).isLessThanOrEqualTo(before * 4 / 5);

        System.out.printf("compacted in %.1f s: chunks %d%%, file %d%%, %d MB -> %d MB%n",
                (System.nanoTime() - started) / 1e9, chunksFill(), store.getFillRate(), before >> 20,
                store.getFileStore().size() >> 20);
        backend.close();
        backend = null;
        assertThat(store.isClosed()).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("embedded-store-compaction"));
        store = new MVStore.Builder().fileName(dir.resolve("probe.mv").toString()).open();
        MVMap<Integer, String> reopened = store.openMap("data");
        for (int i = 0; i < values; i++) {
            assertThat(reopened.get(i)).isEqualTo(VALUE + i + (i % 1000 < 500 ? "'" : ""));
        }
    }

    @Test
    void aRateOfZeroNeverCompacts() {
        mostlyRemoved();
        int before = chunksFill();
        IdleCompaction compaction = IdleCompaction.manual(store, 0, Duration.ofSeconds(5), MB, clock::get);

        for (int i = 0; i < 5; i++) {
            assertThat(compaction.check()).isEqualTo(Outcome.NOTHING);
            clock.addAndGet(10 * SECOND);
        }

        assertThat(chunksFill()).isEqualTo(before);
    }
}
