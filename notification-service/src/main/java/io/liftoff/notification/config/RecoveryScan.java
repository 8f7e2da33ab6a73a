package io.liftoff.notification.config;

import java.time.Duration;

/**
 * Decides when a periodic scan of the store for lost work (a notification never routed, a delivery never sent)
 * actually reads the store.
 * <p>
 * With a shared store every tick scans: another replica may have died holding work. With the embedded store this
 * process is the only one, and every piece of pending work also has an in-memory hint (a queue entry, a retry timer,
 * a paused lane), so a scan finds something only after a restart or when a hint was dropped or a step failed. Then
 * the scan runs at start, at the next tick after such a drop or failure ({@link #request()}), and otherwise only every
 * {@value #SAFETY_FACTOR} ticks as a safety net. That matters because the embedded store serves such a query by
 * reading the whole collection under its lock, which stalls every insert and update meanwhile.
 */
public final class RecoveryScan {

    static final int SAFETY_FACTOR = 30;

    private final boolean everyTick;
    private final long safetyNanos;
    private volatile boolean requested = true;
    private volatile long lastNanos = System.nanoTime();

    public RecoveryScan(boolean everyTick, Duration tick) {
        this.everyTick = everyTick;
        this.safetyNanos = tick.toNanos() * SAFETY_FACTOR;
    }

    /** Asks for a scan at the next tick: a hint was dropped, or a step failed and its work is left in the store. */
    public void request() {
        requested = true;
    }

    /** At a tick: whether to scan now (and, if so, the request is taken). */
    public boolean due() {
        long now = System.nanoTime();
        if (everyTick || requested || now - lastNanos >= safetyNanos) {
            requested = false;
            lastNanos = now;
            return true;
        }
        return false;
    }
}
