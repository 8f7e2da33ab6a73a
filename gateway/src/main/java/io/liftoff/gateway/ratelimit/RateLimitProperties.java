package io.liftoff.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Request rates allowed per user (the token's {@code sub}) and per client (the token's {@code azp}), as token
 * buckets: {@code replenishRate} requests per second on average, bursts up to {@code burstCapacity}.
 *
 * @param redis   {@code true}: Spring Cloud Gateway's {@code RedisRateLimiter} on {@code spring.data.redis.*}, shared
 *                by every gateway replica; {@code false}: an in-process limiter per replica
 * @param maxKeys the in-process limiter's bound on remembered buckets
 */
@ConfigurationProperties("liftoff.gateway.rate-limit")
public record RateLimitProperties(@DefaultValue("false") boolean redis, @DefaultValue Limit user,
        @DefaultValue Limit client, @DefaultValue("100000") int maxKeys) {

    public record Limit(@DefaultValue("20") int replenishRate, @DefaultValue("40") int burstCapacity) {

        public Limit {
            if (replenishRate < 1 || burstCapacity < replenishRate) {
                throw new IllegalArgumentException(
                        "A rate limit needs replenish-rate >= 1 and burst-capacity >= replenish-rate");
            }
        }
    }
}
