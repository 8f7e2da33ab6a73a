package io.liftoff.gateway.ratelimit;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;

/**
 * The in-process rate limiter used when Redis is not configured: one token bucket per key, refilled continuously at
 * {@code replenishRate} tokens per second up to {@code burstCapacity}. Each gateway replica counts on its own. A
 * refused answer carries {@code Retry-After}: the whole seconds until the next token. The number of buckets is
 * bounded; when the bound is reached, buckets that have refilled completely (indistinguishable from new ones) are
 * dropped first.
 */
public class TokenBucketRateLimiter implements RateLimiter<TokenBucketRateLimiter.Config> {

    public static final String REMAINING_HEADER = "X-RateLimit-Remaining";
    public static final String REPLENISH_RATE_HEADER = "X-RateLimit-Replenish-Rate";
    public static final String BURST_CAPACITY_HEADER = "X-RateLimit-Burst-Capacity";
    public static final String RETRY_AFTER_HEADER = "Retry-After";

    private final Config config;
    private final int maxKeys;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBucketRateLimiter(int replenishRate, int burstCapacity, int maxKeys, LongSupplier nanoTime) {
        this.config = new Config(replenishRate, burstCapacity);
        this.maxKeys = maxKeys;
        this.nanoTime = nanoTime;
    }

    public TokenBucketRateLimiter(int replenishRate, int burstCapacity, int maxKeys) {
        this(replenishRate, burstCapacity, maxKeys, System::nanoTime);
    }

    @Override
    public Mono<Response> isAllowed(String routeId, String id) {
        return Mono.just(consume(id));
    }

    Response consume(String id) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.get(id);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                evictRefilled(now);
            }
            bucket = buckets.computeIfAbsent(id, key -> new Bucket(config.burstCapacity(), now));
        }
        double[] outcome = bucket.take(now, config);
        boolean allowed = outcome[0] > 0;
        long remaining = (long) Math.floor(outcome[1]);
        Map<String, String> headers = new LinkedHashMap<>(4);
        headers.put(REMAINING_HEADER, Long.toString(remaining));
        headers.put(REPLENISH_RATE_HEADER, Integer.toString(config.replenishRate()));
        headers.put(BURST_CAPACITY_HEADER, Integer.toString(config.burstCapacity()));
        if (!allowed) {
            double secondsToNextToken = (1.0 - outcome[1]) / config.replenishRate();
            headers.put(RETRY_AFTER_HEADER, Long.toString(Math.max(1L, (long) Math.ceil(secondsToNextToken))));
        }
        return new Response(allowed, headers);
    }

    private void evictRefilled(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext();) {
            if (it.next().isFull(now, config)) {
                it.remove();
            }
        }
        if (buckets.size() >= maxKeys) {
            // Every bucket is in use: forget the oldest-inserted ones rather than grow without bound.
            Iterator<Bucket> it = buckets.values().iterator();
            for (int i = buckets.size() - maxKeys + 1; i > 0 && it.hasNext(); i--) {
                it.next();
                it.remove();
            }
        }
    }

    int bucketCount() {
        return buckets.size();
    }

    @Override
    public Map<String, Config> getConfig() {
        return Map.of();
    }

    @Override
    public Class<Config> getConfigClass() {
        return Config.class;
    }

    @Override
    public Config newConfig() {
        return config;
    }

    public Config config() {
        return config;
    }

    public record Config(int replenishRate, int burstCapacity) {
    }

    private static final class Bucket {

        private double tokens;
        private long updatedAt;

        Bucket(double tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
        }

        /** @return {allowed ? 1 : 0, tokens left} */
        synchronized double[] take(long now, Config config) {
            refill(now, config);
            if (tokens >= 1.0) {
                tokens -= 1.0;
                return new double[] { 1, tokens };
            }
            return new double[] { 0, tokens };
        }

        synchronized boolean isFull(long now, Config config) {
            refill(now, config);
            return tokens >= config.burstCapacity();
        }

        private void refill(long now, Config config) {
            long elapsed = now - updatedAt;
            if (elapsed > 0) {
                tokens = Math.min(config.burstCapacity(), tokens + elapsed * config.replenishRate() / 1e9);
                updatedAt = now;
            }
        }
    }
}
