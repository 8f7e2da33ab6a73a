package io.liftoff.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter.Response;

class TokenBucketRateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void aBurstUpToTheCapacityIsAllowedThenRefused() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(2, 5, 100, nanos::get);

        for (int i = 0; i < 5; i++) {
            assertThat(limiter.consume("user:sam").isAllowed()).isTrue();
        }
        Response refused = limiter.consume("user:sam");

        assertThat(refused.isAllowed()).isFalse();
        assertThat(refused.getHeaders()).containsEntry("Retry-After", "1").containsEntry("X-RateLimit-Remaining", "0")
                .containsEntry("X-RateLimit-Burst-Capacity", "5").containsEntry("X-RateLimit-Replenish-Rate", "2");
    }

    @Test
    void tokensComeBackAtTheReplenishRate() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(2, 2, 100, nanos::get);
        limiter.consume("user:sam");
        limiter.consume("user:sam");
        assertThat(limiter.consume("user:sam").isAllowed()).isFalse();

        nanos.addAndGet(500_000_000L);

        assertThat(limiter.consume("user:sam").isAllowed()).isTrue();
        assertThat(limiter.consume("user:sam").isAllowed()).isFalse();
    }

    @Test
    void retryAfterRoundsTheWaitUpToWholeSeconds() {
        TokenBucketRateLimiter slow = new TokenBucketRateLimiter(1, 1, 100, nanos::get);
        slow.consume("client:partner");
        nanos.addAndGet(100_000_000L);

        assertThat(slow.consume("client:partner").getHeaders()).containsEntry("Retry-After", "1");
    }

    @Test
    void eachKeyHasItsOwnBucket() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(1, 1, 100, nanos::get);

        assertThat(limiter.consume("user:sam").isAllowed()).isTrue();
        assertThat(limiter.consume("user:eli").isAllowed()).isTrue();
        assertThat(limiter.consume("user:sam").isAllowed()).isFalse();
    }

    @Test
    void theNumberOfBucketsIsBounded() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(1, 1, 50, nanos::get);

        for (int i = 0; i < 500; i++) {
            limiter.consume("user:" + i);
        }

        assertThat(limiter.bucketCount()).isLessThanOrEqualTo(50);
    }

    @Test
    void refilledBucketsAreDroppedFirstWhenTheBoundIsReached() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(1, 1, 3, nanos::get);
        limiter.consume("user:a");
        limiter.consume("user:b");
        nanos.addAndGet(2_000_000_000L);
        limiter.consume("user:busy");
        limiter.consume("user:new");

        assertThat(limiter.bucketCount()).isEqualTo(2);
        assertThat(limiter.consume("user:busy").isAllowed()).as("the busy user's empty bucket was kept").isFalse();
    }
}
