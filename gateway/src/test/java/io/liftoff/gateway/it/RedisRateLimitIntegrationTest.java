package io.liftoff.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftoff.gateway.support.AbstractGatewayTest;
import io.liftoff.gateway.support.Tokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.test.context.TestPropertySource;

/**
 * With {@code liftoff.gateway.rate-limit.redis=true} the limits are Spring Cloud Gateway's RedisRateLimiter. No Redis
 * runs here (none may be assumed on a build machine): the test shows the wiring and that an unreachable Redis lets
 * calls through (the RedisRateLimiter fails open) instead of taking the platform down.
 */
@TestPropertySource(properties = { "liftoff.gateway.rate-limit.redis=true", "spring.data.redis.host=127.0.0.1",
        "spring.data.redis.port=1", "spring.data.redis.timeout=500ms", "spring.data.redis.connect-timeout=500ms" })
class RedisRateLimitIntegrationTest extends AbstractGatewayTest {

    @Autowired
    @Qualifier("userRateLimiter")
    RateLimiter<?> users;

    @Autowired
    @Qualifier("clientRateLimiter")
    RateLimiter<?> clients;

    @Test
    void bothLimitsAreRedisRateLimiters() {
        assertThat(users).isInstanceOf(RedisRateLimiter.class);
        assertThat(clients).isInstanceOf(RedisRateLimiter.class).isNotSameAs(users);
    }

    @Test
    void anUnreachableRedisLetsCallsThrough() {
        CHECKLIST.stubFor(get("/api/releases/r1").willReturn(aResponse().withStatus(200)));

        client.get().uri("/api/releases/r1").header("Authorization", bearer(Tokens.fresh())).exchange()
                .expectStatus().isOk();
    }
}
