package io.liftoff.notification.config;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Keeps configuration read on every event (channels, contact overrides, templates) for a moment: cleared at once in
 * this process when it changes, so another replica sees a change after at most the time to live.
 */
public final class ShortCache<K, V> {

    private record Entry<V>(V value, long expiresAt) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;

    public ShortCache(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    public V get(K key, Function<K, V> loader) {
        long now = System.nanoTime();
        Entry<V> entry = entries.get(key);
        if (entry != null && entry.expiresAt() - now > 0) {
            return entry.value();
        }
        V value = loader.apply(key);
        if (ttlNanos > 0) {
            if (entries.size() > 10_000) {
                entries.clear();
            }
            entries.put(key, new Entry<>(value, now + ttlNanos));
        }
        return value;
    }

    public void clear() {
        entries.clear();
    }
}
