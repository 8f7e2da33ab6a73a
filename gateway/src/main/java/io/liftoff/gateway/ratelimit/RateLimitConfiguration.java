package io.liftoff.gateway.ratelimit;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Two limiters, one per user and one per client: Spring Cloud Gateway's {@link RedisRateLimiter} (shared by every
 * replica) when {@code liftoff.gateway.rate-limit.redis=true}, the in-process {@link TokenBucketRateLimiter}
 * otherwise.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
class RateLimitConfiguration {

    @Bean
    RateLimitFilter rateLimitFilter(@Qualifier("userRateLimiter") RateLimiter<?> user,
            @Qualifier("clientRateLimiter") RateLimiter<?> client, RateLimitProperties properties) {
        return new RateLimitFilter(user, client, properties);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "liftoff.gateway.rate-limit.redis", havingValue = "false", matchIfMissing = true)
    static class InProcess {

        @Bean
        TokenBucketRateLimiter userRateLimiter(RateLimitProperties properties) {
            return new TokenBucketRateLimiter(properties.user().replenishRate(), properties.user().burstCapacity(),
                    properties.maxKeys());
        }

        @Bean
        TokenBucketRateLimiter clientRateLimiter(RateLimitProperties properties) {
            return new TokenBucketRateLimiter(properties.client().replenishRate(),
                    properties.client().burstCapacity(), properties.maxKeys());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "liftoff.gateway.rate-limit.redis", havingValue = "true")
    static class Redis {

        @Bean
        RedisRateLimiter userRateLimiter(RateLimitProperties properties) {
            return new RedisRateLimiter(properties.user().replenishRate(), properties.user().burstCapacity(), 1);
        }

        @Bean
        RedisRateLimiter clientRateLimiter(RateLimitProperties properties) {
            return new RedisRateLimiter(properties.client().replenishRate(), properties.client().burstCapacity(), 1);
        }
    }
}
