package io.liftoff.common.store;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The in-process MongoDB wire-protocol server used when no {@code spring.mongodb.uri} is configured.
 *
 * @param enabled   start the embedded server when no MongoDB URI is set (default true)
 * @param backend   {@code h2} keeps data in a file under {@code dataDir}; {@code memory} keeps nothing (tests)
 * @param dataDir   the folder of the H2 file; defaults to {@code <liftoff.data-dir>/<application name>}
 * @param database  the database name; defaults to the application name
 * @param cacheSize the H2 page cache in MB: read pages kept as objects; small by default, because a service runs in a
 *                  128 MB heap and the cache's real footprint is a multiple of H2's estimate
 * @param commitDelay how long H2 keeps changes in memory before it writes them to the file (its auto-commit delay,
 *                  1 s by default as in H2). A process killed without a shutdown loses at most this much of its latest
 *                  changes; a shorter delay narrows that window at the price of more writes and more garbage per change
 *                  (checklist-service's benchmark at 100 ms: 17% more allocation per update and more full collections)
 * @param compactFillRate how full the store's chunks and file are kept, in percent (90 by default, as H2's own rate):
 *                  once the store has been idle for {@code compactIdleAfter}, chunks less full than this are rewritten
 *                  (those older than H2's retention time of 45 s) and then chunks moved until the file is this full;
 *                  under load, only chunks less than half as full are rewritten; 0 never compacts (fully dead chunks
 *                  are still freed). H2's own housekeeping is off: it took a store that commits once a second for an
 *                  idle one and compacted it under load (IdleCompaction, README.md)
 * @param compactIdleAfter how long the store must go without a change before it is compacted (default 5 s)
 * @param commitBuffer how many changes H2 collects in memory, by its own estimate, before the next write commits them
 *                  (its auto-commit buffer); unset: a quarter of the heap, at most 256 MB. H2's own default (a
 *                  sixteenth of the heap, at most 19 MB) committed every 300 or so events under notification-service's
 *                  benchmark load; each commit rewrote pages the last one had just written, and reclaiming that space
 *                  added a third to the CPU of every event in half of the rounds (README.md). H2 counts every change of
 *                  a page, so the pages really held in memory until the commit are a fraction of this while changes
 *                  go to the same pages, and at worst (every change to a different page) about a third of the heap
 * @param ioThreads the server's network threads (Netty event loops) that read requests, run them and write the
 *                  answers; 0 for Netty's default (twice the processors)
 */
@ConfigurationProperties("liftoff.store.embedded")
public record EmbeddedMongoProperties(@DefaultValue("true") boolean enabled, @DefaultValue("h2") Backend backend,
        Path dataDir, String database, @DefaultValue("4") int cacheSize,
        @DefaultValue("1s") java.time.Duration commitDelay, @DefaultValue("90") int compactFillRate,
        @DefaultValue("5s") java.time.Duration compactIdleAfter, DataSize commitBuffer,
        @DefaultValue("0") int ioThreads) {

    public enum Backend {
        H2, MEMORY
    }
}
