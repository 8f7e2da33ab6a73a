package io.liftoff.monitoring.monitoring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.liftoff.common.testing.Api;
import io.liftoff.monitoring.support.AbstractIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MonitoringWindowsIT extends AbstractIntegrationTest {

    @Test
    void startingMonitoringCreatesTheChecklistsWindowsWithTheirMetricChecksAndTheTriggers() {
        Instant deployed = CLOCK.instant().minus(Duration.ofMinutes(10));
        String id = monitoredRelease(deployed);

        JsonNode body = api.get("/api/releases/" + id + "/monitoring", viewer()).json();

        assertThat(body.path("status").asString()).isEqualTo("ACTIVE");
        assertThat(body.path("windows")).extracting(w -> w.path("duration").asString())
                .containsExactly("PT2H", "PT24H", "PT168H");
        JsonNode first = body.path("windows").get(0);
        assertThat(first.path("opensAt").asString()).isEqualTo(deployed.toString());
        assertThat(first.path("closesAt").asString()).isEqualTo(deployed.plus(Duration.ofHours(2)).toString());
        assertThat(first.path("timeLeftSeconds").asLong()).isEqualTo(Duration.ofMinutes(110).toSeconds());
        assertThat(first.path("checks")).extracting(c -> c.path("metric").asString())
                .containsExactly("api_response_time", "error_rate", "database_performance");
        assertThat(body.path("windows").get(1).path("checks")).extracting(c -> c.path("metric").asString())
                .containsExactly("login_success_rate", "dashboard_load_time");
        assertThat(body.path("windows").get(2).path("checks")).extracting(c -> c.path("metric").asString())
                .containsExactly("system_availability");
        assertThat(body.path("triggers")).hasSize(10);
        JsonNode latency = first.path("checks").get(0);
        assertThat(latency.path("comparator").asString()).isEqualTo("<");
        assertThat(latency.path("threshold").asDouble()).isEqualTo(200.0);
        assertThat(latency.path("unit").asString()).isEqualTo("ms");
        assertThat(latency.path("aggregation").asString()).isEqualTo("p95");
        assertThat(latency.path("verdict").asString()).isEqualTo("PENDING");
        assertThat(latency.path("settings").path("evaluationInterval").asString()).isEqualTo("PT1M");
        assertThat(latency.path("settings").path("failureLimit").asInt()).isEqualTo(3);
        assertThat(body.path("endsAt").asString()).isEqualTo(deployed.plus(Duration.ofDays(7)).toString());
        assertThat(body.path("rollbackRecommended").asBoolean()).isFalse();
    }

    @Test
    void startingTwiceAnswersTheRunningMonitoring() {
        String id = monitoredRelease(CLOCK.instant());

        Api.Response again = api.post("/api/releases/" + id + "/monitoring", riley(), "application/json", "");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("releaseId").asString()).isEqualTo(id);
    }

    @Test
    void aReleaseNotYetInMonitoringIsRefused() {
        String id = newReleaseId();
        stubRelease(release(id, "DEPLOYING", null), 3);

        Api.Response refused = api.post("/api/releases/" + id + "/monitoring", riley(), "application/json", "");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("https://liftoff.dev/problems/release-not-deployed");
    }

    @Test
    void aChecklistThatCannotBeReadRefusesTheStartInsteadOfGuessing() {
        String id = newReleaseId();
        PEERS.stubFor(get(urlEqualTo("/api/releases/" + id)).willReturn(aResponse().withStatus(500)));

        Api.Response refused = api.post("/api/releases/" + id + "/monitoring", riley(), "application/json", "");

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.problemType()).isEqualTo("https://liftoff.dev/problems/checklist-unavailable");
        assertThat(monitoring.find(id)).isNull();
    }

    @Test
    void aWindowWhoseTargetsAllPassTicksItsItemsDoneWithTheEvaluationAsEvidence() {
        Instant deployed = CLOCK.instant();
        String id = monitoredRelease(deployed);
        stubItemUpdates(id);
        CLOCK.set(deployed.plus(Duration.ofHours(2)).minus(Duration.ofMinutes(2)));
        Instant at = CLOCK.instant();
        assertThat(push(id, eli(), sample("api_response_time", 0.120, "s", at),
                sample("api_response_time", 150, "ms", at.plusSeconds(1)), sample("error_rate", 0.0004, "ratio", at),
                sample("database_performance", 20, "ms", at)).status()).isEqualTo(202);

        CLOCK.set(deployed.plus(Duration.ofHours(2)).plusSeconds(1));
        monitoring.runDue(id);

        JsonNode window = api.get("/api/releases/" + id + "/monitoring", viewer()).json().path("windows").get(0);
        assertThat(window.path("closed").asBoolean()).isTrue();
        assertThat(window.path("verdict").asString()).isEqualTo("PASS");
        assertThat(window.path("timeLeftSeconds").asLong()).isZero();
        JsonNode latency = window.path("checks").get(0);
        assertThat(latency.path("verdict").asString()).isEqualTo("PASS");
        assertThat(latency.path("currentValue").asDouble()).isEqualTo(150.0);
        assertThat(window.path("checks").get(1).path("currentValue").asDouble()).isEqualTo(0.04);
        List<LoggedRequest> patches = PEERS.findAll(patchRequestedFor(urlPathMatching("/api/releases/" + id
                + "/items/.*")));
        assertThat(patches).hasSize(3);
        assertThat(patches).allSatisfy(request -> {
            assertThat(request.getHeader("If-Match")).isEqualTo("\"7\"");
            JsonNode update = JSON.readTree(request.getBodyAsString());
            assertThat(update.path("state").asString()).isEqualTo("DONE");
            assertThat(update.path("evidence").asString()).startsWith("http://monitoring.test/api/releases/" + id
                    + "/monitoring");
            assertThat(update.path("note").asString()).contains("passed (monitoring-service)");
        });
        assertThat(monitoring.find(id).getItemUpdates()).isEmpty();
    }

    @Test
    void aWindowWithoutDataIsInconclusiveAndTicksNothing() {
        Instant deployed = CLOCK.instant();
        String id = monitoredRelease(deployed);
        stubItemUpdates(id);

        CLOCK.set(deployed.plus(Duration.ofHours(2)).plusSeconds(1));
        monitoring.runDue(id);

        JsonNode window = api.get("/api/releases/" + id + "/monitoring", viewer()).json().path("windows").get(0);
        assertThat(window.path("verdict").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(window.path("checks")).allSatisfy(check -> {
            assertThat(check.path("verdict").asString()).isEqualTo("INCONCLUSIVE");
            assertThat(check.path("evaluations").get(0).path("reason").asString()).startsWith("No ");
        });
        assertThat(PEERS.findAll(patchRequestedFor(urlPathMatching("/api/releases/" + id + "/items/.*")))).isEmpty();
    }

    @Test
    void aBreachedTargetBlocksItsItemAndRaisesMetricBreached() {
        Instant deployed = CLOCK.instant();
        String id = monitoredRelease(deployed);
        stubItemUpdates(id);
        String errorRate = checkId(id, "system-health/error-rates");
        assertThat(patchCheck(id, errorRate, "{\"failureLimit\":2}").status()).isEqualTo(200);

        for (int i = 0; i < 2; i++) {
            CLOCK.advance(Duration.ofMinutes(1));
            push(id, eli(), sample("error_rate", 0.5, "%", CLOCK.instant()));
            monitoring.evaluate(id, List.of(errorRate), true);
        }
        monitoring.runDue(id);

        JsonNode check = api.get("/api/releases/" + id + "/monitoring", viewer()).json().path("windows").get(0)
                .path("checks").get(1);
        assertThat(check.path("verdict").asString()).isEqualTo("FAIL");
        assertThat(check.path("consecutiveFailures").asInt()).isEqualTo(2);
        assertThat(check.path("nextEvaluationAt").isMissingNode() || check.path("nextEvaluationAt").isNull())
                .isTrue();
        List<LoggedRequest> patches = PEERS.findAll(patchRequestedFor(urlEqualTo("/api/releases/" + id
                + "/items/" + errorRate)));
        assertThat(patches).hasSize(1);
        assertThat(JSON.readTree(patches.get(0).getBodyAsString()).path("state").asString()).isEqualTo("BLOCKED");
        await().atMost(Duration.ofSeconds(5)).until(() -> events(id, "metric.breached").size() == 1);
        JsonNode data = events(id, "metric.breached").get(0).path("data");
        assertThat(data.path("metric").asString()).isEqualTo("error_rate");
        assertThat(data.path("value").asDouble()).isEqualTo(0.5);
        assertThat(data.path("threshold").asDouble()).isEqualTo(0.1);
        assertThat(data.path("evaluations")).hasSize(2);

        // The same state as a picture: the window, the failing check against its target, its evaluated values.
        Api.Response chart = api.get("/api/releases/" + id + "/monitoring/chart", viewer(), "image/svg+xml");
        assertThat(chart.status()).isEqualTo(200);
        assertThat(chart.header("Content-Type")).startsWith("image/svg+xml");
        assertThat(chart.body()).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                .contains("Error rates: &lt;0.1%")
                .contains("0.500 % (target &lt; 0.100 %)")
                .contains("fill=\"#cf222e\">FAIL</text>")
                .contains("stroke-dasharray").contains("<path d=\"M");
        assertThat(chart.body().split("<circle ", -1)).hasSizeGreaterThan(2);
    }

    @Test
    void aStaleEtagIsReadAgainAndTheUpdateRetried() {
        Instant deployed = CLOCK.instant();
        String id = monitoredRelease(deployed);
        String errorRate = checkId(id, "system-health/error-rates");
        PEERS.stubFor(patch(urlEqualTo("/api/releases/" + id + "/items/" + errorRate)).inScenario("etag")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(412)
                        .withHeader("Content-Type", "application/problem+json").withBody("{\"status\":412}"))
                .willSetStateTo("fresh"));
        PEERS.stubFor(patch(urlEqualTo("/api/releases/" + id + "/items/" + errorRate)).inScenario("etag")
                .whenScenarioStateIs("fresh").willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody("{\"id\":\"" + errorRate + "\"}")));
        patchCheck(id, errorRate, "{\"failureLimit\":1}");

        CLOCK.advance(Duration.ofMinutes(1));
        push(id, eli(), sample("error_rate", 3, "%", CLOCK.instant()));
        monitoring.evaluate(id, List.of(errorRate), true);
        monitoring.runDue(id);

        assertThat(PEERS.findAll(patchRequestedFor(urlEqualTo("/api/releases/" + id + "/items/" + errorRate))
                .withRequestBody(matchingJsonPath("$.state", equalTo("BLOCKED"))))).hasSize(2);
        assertThat(monitoring.find(id).getItemUpdates()).isEmpty();
    }

    private static void stubItemUpdates(String releaseId) {
        PEERS.stubFor(patch(urlPathMatching("/api/releases/" + releaseId + "/items/.*")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"state\":\"DONE\"}")));
    }
}
