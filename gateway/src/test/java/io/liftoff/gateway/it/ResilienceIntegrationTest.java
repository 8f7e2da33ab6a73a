package io.liftoff.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.http.Fault;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.liftoff.gateway.support.AbstractGatewayTest;
import io.liftoff.gateway.support.Tokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

class ResilienceIntegrationTest extends AbstractGatewayTest {

    @Autowired
    CircuitBreakerRegistry breakers;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "GET", "POST", "PATCH", "DELETE" })
    void aServiceThatDoesNotAnswerInTimeGivesAProblem504ForTheSameMethod(String method) {
        SIGNOFF.stubFor(any(urlPathEqualTo("/api/releases/r1/signoffs"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(2500)));

        client.method(HttpMethod.valueOf(method)).uri("/api/releases/r1/signoffs")
                .header("Authorization", bearer(Tokens.fresh())).exchange()
                .expectStatus().isEqualTo(HttpStatus.GATEWAY_TIMEOUT)
                .expectHeader().contentType("application/problem+json")
                .expectBody().jsonPath("$.type").isEqualTo("https://liftoff.dev/problems/gateway-timeout")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).startsWith("signoff-service"))
                .jsonPath("$.instance").isEqualTo("/api/releases/r1/signoffs");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "GET", "POST", "PUT" })
    void anOpenBreakerGivesAProblem503WithoutCallingTheService(String method) {
        CircuitBreaker monitoring = breakers.circuitBreaker("monitoring");
        MONITORING.stubFor(any(urlEqualTo("/api/releases/r1/monitoring")).willReturn(aResponse().withStatus(200)));
        monitoring.transitionToOpenState();
        try {
            client.method(HttpMethod.valueOf(method)).uri("/api/releases/r1/monitoring")
                    .header("Authorization", bearer(Tokens.fresh())).exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectHeader().contentType("application/problem+json")
                    .expectBody().jsonPath("$.type").isEqualTo("https://liftoff.dev/problems/service-unavailable")
                    .jsonPath("$.detail").isEqualTo("monitoring-service is failing; calls to it are paused for a "
                            + "few seconds");
            assertThat(MONITORING.getAllServeEvents()).isEmpty();
        }
        finally {
            monitoring.reset();
        }
    }

    @Test
    void aServiceThatCannotBeReachedGivesAProblem503() {
        CircuitBreaker notification = breakers.circuitBreaker("notification");
        NOTIFICATION.stubFor(get("/api/notifications")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        try {
            client.get().uri("/api/notifications").header("Authorization", bearer(Tokens.fresh())).exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectBody().jsonPath("$.detail").isEqualTo("notification-service cannot be reached")
                    .jsonPath("$.instance").isEqualTo("/api/notifications");
        }
        finally {
            notification.reset();
        }
    }

    @Test
    void callsBeyondAServicesConcurrencyCapGetA503AtOnce() {
        MONITORING.stubFor(get("/api/releases/r3/monitoring").willReturn(aResponse().withStatus(200)
                .withFixedDelay(700)));
        List<EntityExchangeResult<String>> results = Flux.range(0, 4).parallel(4)
                .runOn(Schedulers.boundedElastic())
                .map(i -> client.get().uri("/api/releases/r3/monitoring")
                        .header("Authorization", bearer(Tokens.fresh()))
                        .exchange().expectBody(String.class).returnResult())
                .sequential().collectList().block();

        assertThat(results).extracting(result -> result.getStatus().value()).contains(200, 503);
        EntityExchangeResult<String> refused = results.stream().filter(r -> r.getStatus().value() == 503)
                .findFirst().orElseThrow();
        assertThat(refused.getResponseHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(refused.getResponseBody()).contains("monitoring-service has too many calls in progress");
        assertThat(MONITORING.getAllServeEvents().size()).isLessThan(4);
    }

    @Test
    void aTimeoutCountsAsAFailureOfTheServicesBreaker() {
        CircuitBreaker signoff = breakers.circuitBreaker("signoff");
        int failedBefore = signoff.getMetrics().getNumberOfFailedCalls();
        SIGNOFF.stubFor(get(urlPathEqualTo("/api/releases/r2/gate")).willReturn(aResponse().withFixedDelay(2500)));

        client.get().uri("/api/releases/r2/gate").header("Authorization", bearer(Tokens.fresh())).exchange()
                .expectStatus().isEqualTo(HttpStatus.GATEWAY_TIMEOUT);

        assertThat(signoff.getMetrics().getNumberOfFailedCalls()).isEqualTo(failedBefore + 1);
    }

    @Test
    void aBodyOverTheLimitIsAProblem413BeforeReachingTheService() {
        byte[] big = new byte[2048];
        java.util.Arrays.fill(big, (byte) 'x');

        client.post().uri("/api/releases?product=toolboxai").header("Authorization", bearer(Tokens.fresh()))
                .header("Content-Type", "text/markdown").bodyValue(big).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentType("application/problem+json")
                .expectBody().jsonPath("$.type").isEqualTo("https://liftoff.dev/problems/payload-too-large");
        assertThat(CHECKLIST.getAllServeEvents()).isEmpty();
    }

    @Test
    void aChunkedBodyOverTheLimitIsAProblem413Too() {
        List<DataBuffer> chunks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            chunks.add(DefaultDataBufferFactory.sharedInstance.wrap("y".repeat(256).getBytes(StandardCharsets.UTF_8)));
        }

        client.post().uri("/api/releases?product=toolboxai").header("Authorization", bearer(Tokens.fresh()))
                .header("Content-Type", "text/markdown").body(Flux.fromIterable(chunks), DataBuffer.class).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectBody().jsonPath("$.type").isEqualTo("https://liftoff.dev/problems/payload-too-large");
        assertThat(CHECKLIST.getAllServeEvents()).isEmpty();
    }

    @Test
    void aUserOverTheRateLimitGets429WithRetryAfterAndAProblem() {
        CHECKLIST.stubFor(get("/api/releases/r1").willReturn(aResponse().withStatus(200)));
        String token = Tokens.user("hasty").sign();

        EntityExchangeResult<byte[]> refused = null;
        int allowed = 0;
        for (int i = 0; i < 20 && refused == null; i++) {
            EntityExchangeResult<byte[]> result = client.get().uri("/api/releases/r1")
                    .header("Authorization", bearer(token)).exchange().expectBody().returnResult();
            if (result.getStatus().value() == 429) {
                refused = result;
            }
            else {
                allowed++;
            }
        }

        assertThat(refused).as("a 429 within 20 quick calls").isNotNull();
        assertThat(allowed).isGreaterThanOrEqualTo(3);
        assertThat(refused.getResponseHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(refused.getResponseHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(new String(refused.getResponseBody(), StandardCharsets.UTF_8))
                .contains("\"type\":\"https://liftoff.dev/problems/rate-limited\"")
                .contains("\"retryAfterSeconds\":1");
        // Another user of the same client is not affected.
        client.get().uri("/api/releases/r1").header("Authorization", bearer(Tokens.fresh())).exchange()
                .expectStatus().isOk().expectHeader().exists("X-RateLimit-Remaining");
    }
}
