package io.liftoff.notification.event;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;

import io.liftoff.common.testing.Api;
import io.liftoff.notification.support.AbstractIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class EventIntakeIT extends AbstractIntegrationTest {

    private static final String PROBLEMS = "https://liftoff.dev/problems/";

    @Test
    void aNewEventIsAcceptedStoredAndDeliveredToTheReleasesWebhook() {
        String releaseId = stubbedRelease();
        RECEIVERS.stubFor(post("/intake/" + releaseId).willReturn(aResponse().withStatus(204)));
        channel(releaseId, "WEBHOOK", "/intake/" + releaseId, null);

        Api.Response accepted = postEvent(event("item.updated", releaseId,
                "{\"itemId\":\"it-staging\",\"fromState\":\"OPEN\",\"toState\":\"DONE\",\"note\":\"green\"}"));

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.json().path("duplicate").asBoolean()).isFalse();
        String id = accepted.json().path("notificationId").asString();
        await("delivery", Duration.ofSeconds(10), () -> statuses(notification(id)).equals(java.util.List.of("DELIVERED")));
        JsonNode n = notification(id);
        assertThat(n.path("eventType").asString()).isEqualTo("item.updated");
        assertThat(n.path("severity").asString()).isEqualTo("INFO");
        assertThat(n.path("title").asString()).isEqualTo("toolboxai 1.1.0: Smoke tests in staging is DONE");
        assertThat(n.path("contactsSource").asString()).isEqualTo("CHECKLIST");
        RECEIVERS.verify(1, postRequestedFor(urlEqualTo("/intake/" + releaseId)));
    }

    @Test
    void aRepeatedEventIdIsAcknowledgedWith200AndDeliveredOnlyOnce() throws InterruptedException {
        String releaseId = stubbedRelease();
        RECEIVERS.stubFor(post("/once/" + releaseId).willReturn(aResponse().withStatus(200)));
        channel(releaseId, "WEBHOOK", "/once/" + releaseId, null);
        String eventId = UUID.randomUUID().toString();
        String json = event(eventId, "release.created", releaseId, "toolboxai", "{\"version\":\"1.1.0\"}");

        Api.Response first = postEvent(json);
        Api.Response second = postEvent(json);
        Api.Response third = postEvent(json);

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("duplicate").asBoolean()).isTrue();
        assertThat(second.json().path("notificationId").asString()).isEqualTo(eventId);
        assertThat(third.status()).isEqualTo(200);
        await("delivery", Duration.ofSeconds(10),
                () -> statuses(notification(eventId)).equals(java.util.List.of("DELIVERED")));
        Thread.sleep(500);
        RECEIVERS.verify(1, postRequestedFor(urlEqualTo("/once/" + releaseId)));
    }

    @Test
    void theSeverityOfTheEventDataOverridesTheTypesDefault() {
        String id = send("metric.breached", stubbedRelease(), "{\"metric\":\"p95_latency\",\"severity\":\"warning\"}");

        assertThat(notification(id).path("severity").asString()).isEqualTo("WARNING");
    }

    static Stream<Arguments> malformedEnvelopes() {
        String ok = "\"occurredAt\":\"2026-01-01T00:00:00Z\",\"product\":\"toolboxai\"";
        return Stream.of(
                Arguments.of("not JSON", "{\"eventId\": ", 400, "malformed-body"),
                Arguments.of("an array", "[1,2]", 400, "malformed-body"),
                Arguments.of("no eventId", "{\"type\":\"item.updated\"," + ok + "}", 400, "validation-failed"),
                Arguments.of("empty eventId", "{\"eventId\":\"\",\"type\":\"item.updated\"," + ok + "}", 400,
                        "validation-failed"),
                Arguments.of("no type", "{\"eventId\":\"e1\"," + ok + "}", 400, "validation-failed"),
                Arguments.of("no occurredAt", "{\"eventId\":\"e1\",\"type\":\"item.updated\",\"product\":\"toolboxai\"}",
                        400, "validation-failed"),
                Arguments.of("occurredAt not ISO-8601", "{\"eventId\":\"e1\",\"type\":\"item.updated\","
                        + "\"occurredAt\":\"yesterday\",\"product\":\"toolboxai\"}", 400, "malformed-body"),
                Arguments.of("product not a slug", "{\"eventId\":\"e1\",\"type\":\"item.updated\","
                        + "\"occurredAt\":\"2026-01-01T00:00:00Z\",\"product\":\"Tool Box\"}", 400,
                        "validation-failed"),
                Arguments.of("data not an object", "{\"eventId\":\"e1\",\"type\":\"item.updated\"," + ok
                        + ",\"data\":[1]}", 400, "malformed-body"),
                Arguments.of("a $ field in data", "{\"eventId\":\"e1\",\"type\":\"item.updated\"," + ok
                        + ",\"data\":{\"nested\":{\"$where\":1}}}", 400, "validation-failed"),
                Arguments.of("unknown event type", "{\"eventId\":\"e1\",\"type\":\"release.exploded\"," + ok + "}",
                        422, "unknown-event-type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedEnvelopes")
    void aBadEnvelopeIsRefusedWithItsProblemAndNothingIsStored(String name, String body, int status, String type) {
        long before = mongo.getCollection("notifications").countDocuments();

        Api.Response refused = postEvent(body);

        assertThat(refused.status()).isEqualTo(status);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.problemType()).isEqualTo(PROBLEMS + type);
        assertThat(mongo.getCollection("notifications").countDocuments()).isEqualTo(before);
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWith415() {
        Api.Response refused = api.post("/api/events", checklistService(), "text/plain", "hello");

        assertThat(refused.status()).isEqualTo(415);
        assertThat(refused.problemType()).isEqualTo(PROBLEMS + "unsupported-media-type");
    }
}
