package io.liftoff.notification.template;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.liftoff.common.testing.Api;
import io.liftoff.notification.support.AbstractIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Templates of a product of its own ("templated"), so the other tests keep the built-in ones. */
class TemplateIT extends AbstractIntegrationTest {

    @Test
    void everyEventTypeHasABuiltInTemplateWithTheFieldsItMayUse() {
        JsonNode templates = api.get("/api/products/untouched/templates", admin()).json();

        assertThat(templates).hasSize(8);
        JsonNode rollback = null;
        for (JsonNode t : templates) {
            assertThat(t.path("custom").asBoolean()).isFalse();
            if (t.path("eventType").asString().equals("rollback.triggered")) {
                rollback = t;
            }
        }
        assertThat(rollback.path("fields").toString()).contains("release.version", "trigger.text", "metric.value",
                "metric.threshold", "link");
    }

    @Test
    void aProductsTemplateShapesItsMessagesAndEscapesValuesInHtml() throws Exception {
        String releaseId = stubbedRelease("templated");
        Api.Response stored = put("/api/products/templated/templates/metric.breached", admin(), """
                {"title": "{{metric.name}} at {{metric.value}}{{metric.unit}} (limit {{metric.comparator}} {{metric.threshold}}{{metric.unit}})",
                 "text": "Release {{release.version}}: {{item.text}} -> {{link}}",
                 "html": "<p>{{item.text}}</p>"}""");
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.json().path("custom").asBoolean()).isTrue();
        RECEIVERS.stubFor(post("/tpl/" + releaseId).willReturn(aResponse().withStatus(200)));
        Api.Response channel = api.json("/api/channels", admin(), "{\"product\":\"templated\",\"releaseId\":\""
                + releaseId + "\",\"name\":\"hook\",\"type\":\"WEBHOOK\",\"url\":\"" + RECEIVERS.baseUrl() + "/tpl/"
                + releaseId + "\"}");
        assertThat(channel.status()).isEqualTo(201);

        Api.Response accepted = api.json("/api/events", checklistService(), event(java.util.UUID.randomUUID()
                .toString(), "metric.breached", releaseId, "templated", "{\"metric\":\"p95_latency\",\"value\":420,"
                + "\"threshold\":200,\"comparator\":\"<\",\"unit\":\"ms\",\"itemId\":\"it-staging\","
                + "\"text\":\"<script>x</script>\"}"));
        String id = accepted.json().path("notificationId").asString();

        // the webhook, and the release's e-mail list (a metric breach goes to level 1)
        await("delivery", Duration.ofSeconds(10),
                () -> statuses(notification(id)).equals(java.util.List.of("DELIVERED", "DELIVERED")));
        JsonNode n = notification(id);
        assertThat(n.path("title").asString()).isEqualTo("p95_latency at 420ms (limit < 200ms)");
        assertThat(n.path("text").asString())
                .isEqualTo("Release 1.1.0: <script>x</script> -> http://localhost:8080/api/releases/" + releaseId);
        var mails = mailsOf(id);
        assertThat(mails).hasSize(1);
        assertThat(textParts(mails.get(0)).get("text/html")).isEqualTo("<p>&lt;script&gt;x&lt;/script&gt;</p>");

        assertThat(delete("/api/products/templated/templates/metric.breached", admin()).status()).isEqualTo(204);
        JsonNode reset = api.get("/api/products/templated/templates", admin()).json();
        for (JsonNode t : reset) {
            assertThat(t.path("custom").asBoolean()).isFalse();
        }
    }
}
