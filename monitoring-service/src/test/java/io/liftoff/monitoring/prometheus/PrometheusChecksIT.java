package io.liftoff.monitoring.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.liftoff.monitoring.monitoring.EvaluationRecord;
import io.liftoff.monitoring.monitoring.MonitoredCheck;
import io.liftoff.monitoring.support.AbstractIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JCircuitBreakerFactory;

class PrometheusChecksIT extends AbstractIntegrationTest {

    private static final String QUERY = "histogram_quantile(0.95, sum(rate(http_server_requests_seconds_bucket[5m])) by (le))";

    @Autowired
    private Resilience4JCircuitBreakerFactory breakers;

    @AfterEach
    void closeBreaker() {
        breakers.getCircuitBreakerRegistry().circuitBreaker("prometheus").reset();
    }

    @Test
    void aCheckWithAQueryIsEvaluatedOnPrometheusInTheTargetsUnit() throws IOException {
        String id = monitoredRelease(CLOCK.instant());
        String latency = withQuery(id);
        PEERS.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(QUERY))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody(PrometheusResponsesTest.text("vector-quantiles.json"))));

        EvaluationRecord record = evaluateOnce(id, latency);

        assertThat(record.verdict()).as(record.reason()).isEqualTo(EvaluationRecord.Verdict.PASS);
        assertThat(record.source()).isEqualTo("PROMETHEUS");
        assertThat(record.value()).isEqualTo(95.0);
        assertThat(PEERS.findAll(getRequestedFor(urlPathEqualTo("/api/v1/query"))).get(0).queryParameter("time")
                .firstValue()).isEqualTo(String.format(java.util.Locale.ROOT, "%.3f",
                        record.at().toEpochMilli() / 1000.0));
    }

    @Test
    void aFailingPrometheusMakesTheCheckInconclusiveNeverPassing() {
        String id = monitoredRelease(CLOCK.instant());
        String latency = withQuery(id);
        PEERS.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(503)));

        EvaluationRecord record = evaluateOnce(id, latency);

        assertThat(record.verdict()).isEqualTo(EvaluationRecord.Verdict.INCONCLUSIVE);
        assertThat(record.reason()).contains("answered 503");
    }

    @Test
    void aSlowPrometheusTimesOutInconclusiveAndTripsTheBreakerSoLaterChecksDoNotWait() {
        String id = monitoredRelease(CLOCK.instant());
        String latency = withQuery(id);
        PEERS.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withFixedDelay(2500)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"success\"}")));

        for (int i = 0; i < 4; i++) {
            EvaluationRecord record = evaluateOnce(id, latency);
            assertThat(record.verdict()).isEqualTo(EvaluationRecord.Verdict.INCONCLUSIVE);
            assertThat(record.reason()).contains("timed out");
        }
        int calls = PEERS.findAll(getRequestedFor(urlPathEqualTo("/api/v1/query"))).size();
        long start = System.nanoTime();
        EvaluationRecord refused = evaluateOnce(id, latency);

        assertThat(refused.reason()).contains("circuit breaker open");
        // well under the 2 s read timeout that each call before it waited for, with room for a busy CI machine
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(PEERS.findAll(getRequestedFor(urlPathEqualTo("/api/v1/query")))).hasSize(calls);
        MonitoredCheck check = monitoring.find(id).check(latency);
        assertThat(check.getConsecutiveInconclusive()).isEqualTo(5);
        assertThat(check.getVerdict()).isEqualTo("INCONCLUSIVE");
    }

    private String withQuery(String releaseId) {
        String latency = checkId(releaseId, "system-health/api-response-times");
        assertThat(patchCheck(releaseId, latency, "{\"query\": \"" + QUERY.replace("\"", "\\\"")
                + "\", \"queryUnit\": \"s\"}").status()).isEqualTo(200);
        return latency;
    }

    private EvaluationRecord evaluateOnce(String releaseId, String checkId) {
        CLOCK.advance(Duration.ofMinutes(1));
        assertThat(monitoring.evaluate(releaseId, List.of(checkId), true)).containsExactly(checkId);
        List<EvaluationRecord> evaluations = monitoring.find(releaseId).check(checkId).getEvaluations();
        return evaluations.get(evaluations.size() - 1);
    }
}
