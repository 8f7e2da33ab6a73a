package io.liftoff.notification.event;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    void aBurstOfEventsSentTwiceEachAtOnceIsStoredOnceAndDeliveredOncePerEvent() throws Exception {
        String releaseId = stubbedRelease();
        RECEIVERS.stubFor(post("/burst/" + releaseId).willReturn(aResponse().withStatus(204)));
        channel(releaseId, "WEBHOOK", "/burst/" + releaseId, null);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String json = event(UUID.randomUUID().toString(), "item.updated", releaseId, "toolboxai",
                    "{\"itemId\":\"it-staging\",\"n\":" + i + "}");
            bodies.add(json);
            bodies.add(json);
        }
        Collections.shuffle(bodies);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<Api.Response>> responses = new ArrayList<>();
        try {
            for (String body : bodies) {
                responses.add(clients.submit(() -> postEvent(body)));
            }
            Map<Integer, Integer> byStatus = new HashMap<>();
            for (Future<Api.Response> response : responses) {
                byStatus.merge(response.get(30, TimeUnit.SECONDS).status(), 1, Integer::sum);
            }
            assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of(202, 40, 200, 40));
        }
        finally {
            clients.shutdownNow();
        }

        await("every event delivered", Duration.ofSeconds(15),
                () -> RECEIVERS.findAll(postRequestedFor(urlEqualTo("/burst/" + releaseId))).size() >= 40);
        Thread.sleep(500);
        List<String> received = RECEIVERS.findAll(postRequestedFor(urlEqualTo("/burst/" + releaseId))).stream()
                .map(r -> r.getHeader("X-Liftoff-Event-Id")).toList();
        assertThat(received).hasSize(40).doesNotHaveDuplicates();
        JsonNode stored = api.get("/api/notifications?releaseId=" + releaseId + "&size=100", admin()).json();
        assertThat(stored.path("totalItems").asLong()).isEqualTo(40);
        for (JsonNode n : stored.path("items")) {
            assertThat(n.path("routed").asBoolean()).isTrue();
            assertThat(statuses(n)).containsExactly("DELIVERED");
        }
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

    @Test
    void aBatchIsStoredWithOneReceiptPerEventInOrderAndEachEventIsDeliveredOnce() {
        String releaseId = stubbedRelease();
        RECEIVERS.stubFor(post("/batch/" + releaseId).willReturn(aResponse().withStatus(204)));
        channel(releaseId, "WEBHOOK", "/batch/" + releaseId, null);
        String known = UUID.randomUUID().toString();
        assertThat(postEvent(event(known, "release.created", releaseId, "toolboxai", "{}")).status()).isEqualTo(202);
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String itemUpdated = "{\"itemId\":\"it-staging\",\"fromState\":\"OPEN\",\"toState\":\"DONE\"}";

        Api.Response answer = postBatch(List.of(event(first, "item.updated", releaseId, "toolboxai", itemUpdated),
                event(known, "release.created", releaseId, "toolboxai", "{}"),
                event(second, "item.updated", releaseId, "toolboxai", itemUpdated),
                event(first, "item.updated", releaseId, "toolboxai", itemUpdated)));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("accepted").asInt()).isEqualTo(2);
        assertThat(answer.json().path("duplicates").asInt()).isEqualTo(2);
        List<String> receipts = new ArrayList<>();
        answer.json().path("receipts").forEach(r -> receipts.add(r.path("eventId").asString() + ":"
                + r.path("duplicate").asBoolean()));
        assertThat(receipts).containsExactly(first + ":false", known + ":true", second + ":false", first + ":true");
        for (String id : List.of(known, first, second)) {
            await("delivery of " + id, Duration.ofSeconds(10),
                    () -> statuses(notification(id)).equals(List.of("DELIVERED")));
        }
        RECEIVERS.verify(3, postRequestedFor(urlEqualTo("/batch/" + releaseId)));
    }

    static Stream<Arguments> badBatches() {
        String good = event("e-good", "item.updated", "r1", "toolboxai", "{}");
        return Stream.of(
                Arguments.of("an unknown type in the second envelope", "[" + good + ","
                        + event("e-bad", "release.exploded", "r1", "toolboxai", "{}") + "]", 422,
                        "unknown-event-type", "events[1].type"),
                Arguments.of("no eventId in the second envelope", "[" + good + ",{\"type\":\"item.updated\","
                        + "\"occurredAt\":\"2026-01-01T00:00:00Z\",\"product\":\"toolboxai\"}]", 400,
                        "validation-failed", "events[1].eventId"),
                Arguments.of("a $ field in the first envelope's data", "["
                        + event("e-dollar", "item.updated", "r1", "toolboxai", "{\"$where\":1}") + "," + good + "]",
                        400, "validation-failed", "events[0].data"),
                Arguments.of("no events", "[]", 400, "validation-failed", "events"),
                Arguments.of("more than 500 events", "[" + String.join(",", Collections.nCopies(501, good)) + "]", 400,
                        "validation-failed", "events"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBatches")
    void aBadEnvelopeRefusesTheWholeBatchWithItsIndexAndNothingIsStored(String name, String events, int status,
            String type, String field) {
        long before = mongo.getCollection("notifications").countDocuments();

        Api.Response refused = api.json("/api/events/batch", checklistService(), "{\"events\":" + events + "}");

        assertThat(refused.status()).isEqualTo(status);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.problemType()).isEqualTo(PROBLEMS + type);
        assertThat(refused.body()).contains("\"" + field);
        assertThat(mongo.getCollection("notifications").countDocuments()).isEqualTo(before);
    }

    private Api.Response postBatch(List<String> events) {
        return api.json("/api/events/batch", checklistService(), "{\"events\":[" + String.join(",", events) + "]}");
    }
}
