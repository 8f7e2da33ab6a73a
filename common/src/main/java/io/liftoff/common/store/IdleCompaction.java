package io.liftoff.common.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims the embedded store's dead space when the store is idle, in place of H2's own housekeeping.
 * <p>
 * H2 rewrites partly dead chunks (and moves chunks to shrink the file) from its background writer. It judges the
 * store idle when fewer than ten file reads and writes happened since its last look, a tenth of its commit delay
 * earlier; with changes collected in memory and committed once a second, most of its looks found the store "idle"
 * while it served 2,000 events a second, and it then rewrote chunks with its idle limits: a write budget of four
 * times the commit buffer, and chunks up to its full fill rate. In notification-service's single-event benchmark that
 * was 5 % of the CPU on its own thread, and its reads cut the page cache's hit rate from 84 % to 48 %, which made
 * every other thread slower too (runs back to back: 1.00-1.26 ms of CPU per event with it, 0.66-0.80 without it;
 * README.md).
 * <p>
 * Here H2's housekeeping is off, and this task looks at the store every {@code checkEvery}. The store is idle once
 * no commit and no unsaved change was seen for {@code idleAfter}; then each look rewrites up to {@value #STEP_BYTES}
 * bytes of the emptiest chunks while the chunks are less full than {@code fillRate} (H2 rewrites only chunks older
 * than its retention time, 45 s), and when nothing is left to rewrite, moves chunks (up to the commit buffer's size,
 * the largest a chunk can be) to shrink the file while it is less full than that. While the store is busy, it rewrites
 * only when the chunks are less than half as full as that (H2's own busy rule), so dead space stays bounded under a
 * load that never pauses. Fully dead chunks are freed by every commit, as before. Dead space under one step is left
 * alone, and steps that stop gaining ({@link #FRUITLESS_STEPS}) wait until the store is used again, so an idle store
 * is not rewritten over and over.
 */
final class IdleCompaction implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IdleCompaction.class);

    /** Bytes of chunks rewritten (or moved) by one look at most. */
    static final int STEP_BYTES = 16 * 1024 * 1024;

    /**
     * Looks in a row in which rewriting or moving left the store no fuller than it had been in this idle period;
     * after as many, that kind of step waits until the store is used again. H2 frees the chunks a step emptied a
     * version or two later, so a step may gain nothing at first, and on a small store rewriting can go round in
     * circles (the new chunk holds the pages that the next commit replaces).
     */
    static final int FRUITLESS_STEPS = 3;

    private final MVStore store;
    private final int fillRate;
    private final long idleAfterNanos;
    private final long minDeadBytes;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService timer;
    private long lastVersion = Long.MIN_VALUE;
    private long quietSince;
    private int bestChunksFill;
    private int fruitlessRewrites;
    private int bestFileFill;
    private int fruitlessMoves;

    private IdleCompaction(MVStore store, int fillRate, Duration idleAfter, long minDeadBytes, LongSupplier nanoTime,
            ScheduledExecutorService timer) {
        this.store = store;
        this.fillRate = fillRate;
        this.idleAfterNanos = idleAfter.toNanos();
        this.minDeadBytes = minDeadBytes;
        this.nanoTime = nanoTime;
        this.timer = timer;
        this.quietSince = nanoTime.getAsLong();
    }

    /**
     * Starts looking at the store every {@code checkEvery} on a daemon thread of its own. Dead space under one step
     * ({@value #STEP_BYTES} bytes) is left alone: on a small store it is not worth a rewrite.
     */
    static IdleCompaction start(MVStore store, int fillRate, Duration idleAfter, Duration checkEvery) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "embedded-store-compaction");
            thread.setDaemon(true);
            return thread;
        });
        IdleCompaction compaction = new IdleCompaction(store, fillRate, idleAfter, STEP_BYTES, System::nanoTime,
                timer);
        long every = Math.max(1, checkEvery.toMillis());
        timer.scheduleWithFixedDelay(compaction::checkSafely, every, every, TimeUnit.MILLISECONDS);
        return compaction;
    }

    /** For tests: looks only when {@link #check()} is called, with the given clock and least dead space. */
    static IdleCompaction manual(MVStore store, int fillRate, Duration idleAfter, long minDeadBytes,
            LongSupplier nanoTime) {
        return new IdleCompaction(store, fillRate, idleAfter, minDeadBytes, nanoTime, null);
    }

    private void checkSafely() {
        try {
            check();
        }
        catch (RuntimeException ex) {
            // a closed store, or a failed rewrite: H2 keeps the old chunks, and the next look tries again
            log.debug("Embedded store compaction skipped: {}", ex.toString());
        }
    }

    /**
     * One look: what the store's activity since the last look allows.
     *
     * @return what was done
     */
    synchronized Outcome check() {
        if (store.isClosed() || fillRate <= 0) {
            return Outcome.NOTHING;
        }
        long now = nanoTime.getAsLong();
        long version = store.getCurrentVersion();
        int chunksFill = store.getFileStore().getChunksFillRate();
        if (version != lastVersion || store.hasUnsavedChanges()) {
            lastVersion = version;
            quietSince = now;
            bestChunksFill = 0;
            fruitlessRewrites = 0;
            bestFileFill = 0;
            fruitlessMoves = 0;
            return chunksFill < fillRate / 2 && worthIt(chunksFill) && rewrite() ? Outcome.REWROTE_BUSY
                    : Outcome.NOTHING;
        }
        if (now - quietSince < idleAfterNanos) {
            return Outcome.NOTHING;
        }
        if (fruitlessRewrites < FRUITLESS_STEPS && chunksFill < fillRate && worthIt(chunksFill) && rewrite()) {
            int after = store.getFileStore().getChunksFillRate();
            fruitlessRewrites = after > Math.max(bestChunksFill, chunksFill) ? 0 : fruitlessRewrites + 1;
            bestChunksFill = Math.max(bestChunksFill, after);
            return Outcome.REWROTE;
        }
        if (fruitlessMoves < FRUITLESS_STEPS && store.getFileStore() instanceof RandomAccessStore file
                && file.getFillRate() < fillRate && worthIt(file.getFillRate())) {
            int before = file.getFillRate();
            // a chunk is moved whole, and one commit may have written up to the commit buffer
            file.compactMoveChunks(101, Math.max(STEP_BYTES, store.getAutoCommitMemory()), store);
            lastVersion = store.getCurrentVersion();
            int after = file.getFillRate();
            fruitlessMoves = after > Math.max(bestFileFill, before) ? 0 : fruitlessMoves + 1;
            bestFileFill = Math.max(bestFileFill, after);
            return Outcome.MOVED;
        }
        return Outcome.NOTHING;
    }

    /** True when the dead share of the file ({@code 100 - fill} percent of it) is at least the least worth reclaiming. */
    private boolean worthIt(int fill) {
        return store.getFileStore().size() / 100 * (100 - fill) >= minDeadBytes;
    }

    /** Rewrites the emptiest chunks and commits; this look's own commit is not counted as activity. */
    private boolean rewrite() {
        boolean rewritten = store.compact(fillRate, STEP_BYTES);
        if (rewritten) {
            store.commit();
        }
        lastVersion = store.getCurrentVersion();
        return rewritten;
    }

    enum Outcome {
        NOTHING, REWROTE, REWROTE_BUSY, MOVED
    }

    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("Embedded store compaction did not stop within 10 s");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
