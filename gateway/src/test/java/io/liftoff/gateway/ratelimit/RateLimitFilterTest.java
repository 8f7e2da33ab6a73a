package io.liftoff.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

class RateLimitFilterTest {

    private final RateLimitProperties properties = new RateLimitProperties(false,
            new RateLimitProperties.Limit(1, 2), new RateLimitProperties.Limit(1, 3), 1000);
    private final TokenBucketRateLimiter users = new TokenBucketRateLimiter(1, 2, 1000);
    private final TokenBucketRateLimiter clients = new TokenBucketRateLimiter(1, 3, 1000);
    private final RateLimitFilter filter = new RateLimitFilter(users, clients, properties);
    private final AtomicInteger forwarded = new AtomicInteger();
    private final GatewayFilterChain chain = exchange -> {
        forwarded.incrementAndGet();
        return Mono.empty();
    };

    @Test
    void callsWithinTheLimitGoOnWithTheRemainingCount() {
        MockServerWebExchange exchange = exchange("sam", "liftoff-cli");

        filter.filter(exchange, chain).block();

        assertThat(forwarded).hasValue(1);
        assertThat(exchange.getResponse().getHeaders().getFirst("X-RateLimit-Remaining")).isEqualTo("1");
    }

    @Test
    void aUserOverTheLimitGets429WithRetryAfterAndAProblem() {
        filter.filter(exchange("sam", "liftoff-cli"), chain).block();
        filter.filter(exchange("sam", "liftoff-cli"), chain).block();
        MockServerWebExchange third = exchange("sam", "liftoff-cli");

        filter.filter(third, chain).block();

        assertThat(forwarded).hasValue(2);
        assertThat(third.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(third.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(third.getResponse().getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(body(third)).contains("\"type\":\"https://liftoff.dev/problems/rate-limited\"")
                .contains("The rate limit of your user (1 requests per second, bursts of 2)")
                .contains("\"instance\":\"/api/releases/r1\"");
    }

    @Test
    void aClientOverItsLimitIsRefusedWhateverUserCalls() {
        for (String user : List.of("a", "b", "c")) {
            filter.filter(exchange(user, "partner-tool"), chain).block();
        }
        MockServerWebExchange fourth = exchange("d", "partner-tool");

        filter.filter(fourth, chain).block();

        assertThat(forwarded).hasValue(3);
        assertThat(fourth.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(body(fourth)).contains("The rate limit of your client application");
    }

    @Test
    void callsWithoutATokenAreLimitedPerAddress() {
        for (int i = 0; i < 3; i++) {
            filter.filter(MockServerWebExchange.from(MockServerHttpRequest.get("/api/releases/r1")), chain).block();
        }

        assertThat(forwarded).hasValue(2);
    }

    private static MockServerWebExchange exchange(String subject, String client) {
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "RS256").subject(subject).claim("azp", client)
                .expiresAt(Instant.now().plusSeconds(60)).build();
        return MockServerWebExchange.builder(MockServerHttpRequest.get("/api/releases/r1"))
                .principal(new JwtAuthenticationToken(jwt, List.of())).build();
    }

    private static String body(MockServerWebExchange exchange) {
        return exchange.getResponse().getBodyAsString().block();
    }
}
