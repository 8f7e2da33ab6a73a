package io.liftoff.monitoring.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;

import io.liftoff.common.testing.Api;
import io.liftoff.monitoring.support.AbstractIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class AlertmanagerWebhookIT extends AbstractIntegrationTest {

    private static final String WEBHOOK = "/api/alertmanager/webhook";

    @Test
    void aFiringAlertFiresItsTriggerOnceAndTheResolvedAlertClearsIt() throws Exception {
        String id = monitoredRelease(CLOCK.instant());
        String trigger = checkId(id, "critical-system-issues/database-connectivity-issues");
        String firing = payload("firing", alert("firing", "DatabaseDown", id,
                "rollback-plan/rollback-triggers/critical-system-issues/database-connectivity-issues", "fp-1"));

        HttpResponse<String> first = withSecret(firing, ALERTMANAGER_SECRET);
        HttpResponse<String> repeated = withSecret(firing, ALERTMANAGER_SECRET);

        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode receipt = JSON.readTree(first.body());
        assertThat(receipt.path("matched").asInt()).isEqualTo(1);
        assertThat(receipt.path("fired")).extracting(JsonNode::asString).containsExactly(trigger);
        assertThat(JSON.readTree(repeated.body()).path("fired")).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> events(id, "rollback.triggered").size() == 1);
        JsonNode check = triggerOf(id, trigger);
        assertThat(check.path("firing").asBoolean()).isTrue();
        assertThat(check.path("firingAlerts").asInt()).isEqualTo(1);
        assertThat(check.path("evaluations")).hasSize(1);
        assertThat(events(id, "rollback.triggered").get(0).path("data").path("source").asString())
                .isEqualTo("ALERTMANAGER");

        HttpResponse<String> resolved = withSecret(payload("resolved", alert("resolved", "DatabaseDown", id,
                "rollback-plan/rollback-triggers/critical-system-issues/database-connectivity-issues", "fp-1")),
                ALERTMANAGER_SECRET);

        assertThat(JSON.readTree(resolved.body()).path("cleared")).extracting(JsonNode::asString)
                .containsExactly(trigger);
        assertThat(triggerOf(id, trigger).path("firing").asBoolean()).isFalse();
        assertThat(triggerOf(id, trigger).path("verdict").asString()).isEqualTo("PASS");
        assertThat(events(id, "rollback.triggered")).hasSize(1);
    }

    @Test
    void alertsMapByMetricLabelOrByAnAlertNameSetThroughTheApi() {
        String id = monitoredRelease(CLOCK.instant());
        String byMetric = checkId(id, "critical-system-issues/api-error-rate");
        String byName = checkId(id, "critical-system-issues/authentication-system-failure");
        assertThat(patchCheck(id, byName, "{\"alertNames\": [\"KeycloakLoginFailures\"]}").status()).isEqualTo(200);

        Api.Response response = api.json(WEBHOOK, service(), payload("firing",
                alert("firing", "HighErrorRate", id, "api_error_rate", "fp-a"),
                "{\"status\":\"firing\",\"labels\":{\"alertname\":\"KeycloakLoginFailures\",\"product\":\"" + PRODUCT
                        + "\"},\"fingerprint\":\"fp-b\"}",
                alert("firing", "SomethingElse", id, "no-such-trigger", "fp-c")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("matched").asInt()).isEqualTo(2);
        assertThat(response.json().path("unmatched").asInt()).isEqualTo(1);
        assertThat(response.json().path("fired")).extracting(JsonNode::asString).contains(byMetric, byName);
    }

    @Test
    void theWebhookNeedsAServiceTokenOrTheSharedSecret() throws Exception {
        String body = payload("firing");

        assertThat(withSecret("{\"version\": ", null).statusCode()).as("before the body is read").isEqualTo(401);

        assertThat(withSecret(body, null).statusCode()).isEqualTo(401);
        assertThat(withSecret(body, "wrong-secret").statusCode()).isEqualTo(401);
        Api.Response person = api.json(WEBHOOK, riley(), body);
        assertThat(person.status()).isEqualTo(403);
        assertThat(person.problemType()).isEqualTo("https://liftoff.dev/problems/forbidden");
        assertThat(api.json(WEBHOOK, "not-a-token", body).status()).isEqualTo(401);
        assertThat(api.json(WEBHOOK, service(), body).status()).isEqualTo(200);
        assertThat(withSecret(body, ALERTMANAGER_SECRET).statusCode()).isEqualTo(200);
    }

    static Stream<Arguments> malformedPayloads() {
        return Stream.of(
                Arguments.of("not JSON", "{\"version\": ", "malformed-body"),
                Arguments.of("version 3", "{\"version\":\"3\",\"status\":\"firing\",\"alerts\":[]}",
                        "unsupported-alertmanager-payload"),
                Arguments.of("no alerts", "{\"version\":\"4\",\"status\":\"firing\"}", "validation-failed"),
                Arguments.of("alert without labels",
                        "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\"}]}",
                        "validation-failed"),
                Arguments.of("unknown alert status",
                        "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"burning\",\"labels\":{}}]}",
                        "malformed-body"),
                Arguments.of("alerts not a list", "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":{}}",
                        "malformed-body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPayloads")
    void aMalformedPayloadIsRefusedWithItsProblem(String name, String body, String problem) {
        Api.Response response = api.json(WEBHOOK, service(), body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.problemType()).isEqualTo("https://liftoff.dev/problems/" + problem);
    }

    private JsonNode triggerOf(String releaseId, String checkId) {
        JsonNode triggers = api.get("/api/releases/" + releaseId + "/monitoring", viewer()).json().path("triggers");
        for (JsonNode trigger : triggers) {
            if (trigger.path("id").asString().equals(checkId)) {
                return trigger;
            }
        }
        throw new AssertionError("No trigger " + checkId);
    }

    private HttpResponse<String> withSecret(String body, String secret) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + WEBHOOK))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            request.header("X-Liftoff-Alertmanager-Secret", secret);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A payload shaped as Alertmanager 0.25 sends it (webhook version 4). */
    static String payload(String status, String... alerts) {
        return """
                {"receiver":"liftoff","status":"%s","alerts":[%s],
                 "groupLabels":{"alertname":"x"},"commonLabels":{"severity":"critical"},"commonAnnotations":{},
                 "externalURL":"http://alertmanager:9093","version":"4","groupKey":"{}:{alertname=\\"x\\"}",
                 "truncatedAlerts":0}
                """.formatted(status, String.join(",", alerts));
    }

    static String alert(String status, String name, String releaseId, String trigger, String fingerprint) {
        return """
                {"status":"%s","labels":{"alertname":"%s","release":"%s","product":"%s","trigger":"%s",
                 "severity":"critical"},"annotations":{"summary":"%s"},"startsAt":"2026-11-25T01:00:00.000Z",
                 "endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus:9090/graph?g0.expr=up",
                 "fingerprint":"%s"}
                """.formatted(status, name, releaseId, PRODUCT, trigger, name, fingerprint);
    }
}
