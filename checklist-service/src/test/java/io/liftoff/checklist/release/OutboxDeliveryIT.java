package io.liftoff.checklist.release;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.liftoff.checklist.support.AbstractIntegrationTest;
import io.liftoff.common.testing.Api;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * Events reach notification-service at least once, in order per release, even when it is down for a while: nothing
 * is lost, and after deduplication on eventId every event arrives exactly once.
 */
class OutboxDeliveryIT extends AbstractIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private ItemHistory itemHistory;

    @Test
    void eventsWaitForADownConsumerAndAllArriveOnceItIsBack() throws Exception {
        PEERS.stubFor(post("/api/events").atPriority(1).willReturn(aResponse().withStatus(503)));
        PEERS.stubFor(post("/api/events").atPriority(2)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Api.Response created = api.post("/api/releases?product=toolboxai", riley(), "text/markdown",
                fixture(nextVersion()));
        String releaseId = created.json().path("id").asString();
        List<String> openItems = flatten(created.json().path("items")).stream()
                .filter(i -> i.path("checkbox").asBoolean() && i.path("state").asString().equals("OPEN")
                        && !i.path("kind").asString().equals("SIGNOFF"))
                .limit(6).map(i -> i.path("id").asString()).toList();
        for (String item : openItems) {
            String etag = api.get("/api/releases/" + releaseId, eli()).header("ETag");
            assertThat(api.patch("/api/releases/" + releaseId + "/items/" + item, eli(), etag,
                    "{\"state\":\"DONE\"}").status()).isEqualTo(200);
        }
        assertThat(api.json("/api/releases/" + releaseId + "/transitions", riley(), "{\"to\":\"PREPARING\"}")
                .status()).isEqualTo(200);
        int expectedEvents = 1 + openItems.size() + 1;

        awaitUntil(() -> attemptsFor(releaseId) >= 2, Duration.ofSeconds(10));
        assertThat(pendingEvents(releaseId)).isEqualTo(expectedEvents);

        PEERS.resetMappings();
        PEERS.stubFor(post("/api/events").willReturn(aResponse().withStatus(202)));
        PEERS.stubFor(post("/monitoring/api/events").willReturn(aResponse().withStatus(202)));
        awaitUntil(() -> pendingEvents(releaseId) == 0, Duration.ofSeconds(15));

        List<String> toMonitoring = PEERS.findAll(postRequestedFor(urlEqualTo("/monitoring/api/events"))).stream()
                .map(request -> JSON.readTree(request.getBodyAsString()))
                .filter(event -> event.path("releaseId").asString().equals(releaseId))
                .map(event -> event.path("type").asString()).distinct().toList();
        assertThat(toMonitoring).as("monitoring-service takes only lifecycle events").containsExactly(
                "release.transitioned");

        List<JsonNode> accepted = acceptedEventsFor(releaseId);
        Set<String> distinct = new LinkedHashSet<>();
        accepted.forEach(event -> distinct.add(event.path("eventId").asString()));
        assertThat(distinct).hasSize(expectedEvents);
        List<String> types = new ArrayList<>();
        for (String eventId : distinct) {
            JsonNode event = accepted.stream().filter(e -> e.path("eventId").asString().equals(eventId))
                    .findFirst().orElseThrow();
            types.add(event.path("type").asString());
            assertThat(event.path("product").asString()).isEqualTo("toolboxai");
            assertThat(event.path("occurredAt").asString()).isNotBlank();
        }
        assertThat(types.get(0)).isEqualTo("release.created");
        assertThat(types.subList(1, 1 + openItems.size())).containsOnly("item.updated");
        assertThat(types.get(types.size() - 1)).isEqualTo("release.transitioned");
        // Once everything is delivered the relay lets go of the document and it is no longer due.
        awaitUntil(() -> {
            Document outbox = mongo.getCollection("release").find(new Document("_id", releaseId)).first()
                    .get("outbox", Document.class);
            return outbox.get("nextAttemptAt") == null && "".equals(outbox.get("leaseOwner"));
        }, Duration.ofSeconds(5));
        assertThat(acceptedEventsFor(releaseId).stream().map(e -> e.path("eventId").asString()).distinct())
                .hasSize(expectedEvents);
    }

    @Test
    void anItemUpdateEventCarriesWhatChangedAndWho() throws Exception {
        Api.Response created = api.post("/api/releases?product=toolboxai", riley(), "text/markdown",
                fixture(nextVersion()));
        String releaseId = created.json().path("id").asString();
        String itemId = itemId(created, "production-environment/verify-rollback-procedures");
        api.patch("/api/releases/" + releaseId + "/items/" + itemId, eli(),
                created.header("ETag"), "{\"state\":\"BLOCKED\",\"note\":\"runbook missing\"}");

        awaitUntil(() -> acceptedEventsFor(releaseId).stream()
                .anyMatch(e -> e.path("type").asString().equals("item.updated")), Duration.ofSeconds(10));

        JsonNode event = acceptedEventsFor(releaseId).stream()
                .filter(e -> e.path("type").asString().equals("item.updated")).findFirst().orElseThrow();
        assertThat(event.path("actor").asString()).isEqualTo("eli");
        assertThat(event.path("data").path("key").asString()).endsWith("verify-rollback-procedures");
        assertThat(event.path("data").path("fromState").asString()).isEqualTo("OPEN");
        assertThat(event.path("data").path("toState").asString()).isEqualTo("BLOCKED");
        assertThat(event.path("data").path("note").asString()).isEqualTo("runbook missing");
        assertThat(event.path("data").path("checklistVersion").asLong()).isEqualTo(2);
    }

    @Test
    void historyAndNotesAreReadFromTheOutboxWhileTheEventWaitsAndProjectedBeforeItLeaves() throws Exception {
        PEERS.stubFor(post("/api/events").atPriority(1).willReturn(aResponse().withStatus(503)));
        String[] ids = releaseWithOneItemDone();
        String releaseId = ids[0];
        String itemId = ids[1];
        // As if the projections were never written (the service died before the relay got to the event):
        awaitUntil(() -> attemptsFor(releaseId) > 0, Duration.ofSeconds(15));
        mongo.getCollection("item_history").deleteOne(new Document("_id", releaseId + "/" + itemId));
        mongo.getCollection("item_change").deleteMany(new Document("releaseId", releaseId));
        assertThat(pendingEvents(releaseId)).isPositive();

        // The reader still sees the change: it is read from the outbox.
        assertHistoryAndNote(releaseId, itemId);

        PEERS.resetMappings();
        PEERS.stubFor(post("/api/events").willReturn(aResponse().withStatus(202)));
        awaitUntil(() -> pendingEvents(releaseId) == 0, Duration.ofSeconds(15));

        // The relay wrote the projection again before the event left: the change and, as the item's latest, its note.
        Document history = mongo.getCollection("item_history").find(new Document("_id", releaseId + "/" + itemId))
                .first();
        assertThat(history.getList("revisions", Number.class)).hasSize(1);
        Document change = mongo.getCollection("item_change").find(new Document("_id", ItemHistory.changeId(releaseId,
                history.getList("revisions", Number.class).get(0).longValue()))).first();
        assertThat(change.get("entry", Document.class).getString("note")).isEqualTo("dry run ok");
        assertHistoryAndNote(releaseId, itemId);
    }

    /**
     * A history as earlier builds stored it: the changes inside the item's document, with (the last build) or without
     * (the earliest ones) the latest of them as {@code last}.
     */
    @ParameterizedTest(name = "with last: {0}")
    @ValueSource(booleans = {false, true})
    void aHistoryAsEarlierBuildsWroteItStillGivesTheItemItsNoteAndItsChanges(boolean withLast) throws Exception {
        String[] ids = releaseWithOneItemDone();
        String releaseId = ids[0];
        String itemId = ids[1];
        awaitUntil(() -> pendingEvents(releaseId) == 0, Duration.ofSeconds(15));
        String historyId = releaseId + "/" + itemId;
        Document entry = mongo.getCollection("item_change").findOneAndDelete(new Document("releaseId", releaseId))
                .get("entry", Document.class);
        Document legacy = new Document("_id", historyId).append("releaseId", releaseId).append("itemId", itemId)
                .append("changes", List.of(entry));
        if (withLast) {
            legacy.append("last", entry);
        }
        mongo.getCollection("item_history").replaceOne(new Document("_id", historyId), legacy);

        assertHistoryAndNote(releaseId, itemId);
    }

    @Test
    void everyChangeOfAnOftenChangedItemIsKeptInOrderAndARelayedAgainChangeIsRecordedOnce() throws Exception {
        Api.Response created = api.post("/api/releases?product=toolboxai", riley(), "text/markdown",
                fixture(nextVersion()));
        String releaseId = created.json().path("id").asString();
        String itemId = itemId(created, "database-migration/migration-validation");
        String etag = created.header("ETag");
        List<String> states = List.of("DONE", "OPEN", "BLOCKED");
        for (int change = 1; change <= 12; change++) {
            Api.Response answer = api.patch("/api/releases/" + releaseId + "/items/" + itemId, eli(), etag,
                    "{\"state\":\"" + states.get((change - 1) % 3) + "\",\"note\":\"change " + change + "\"}");
            assertThat(answer.status()).isEqualTo(200);
            etag = answer.header("ETag");
        }
        awaitUntil(() -> pendingEvents(releaseId) == 0, Duration.ofSeconds(15));

        JsonNode history = api.get("/api/releases/" + releaseId + "/items/" + itemId + "/history", eli()).json();
        assertThat(history).hasSize(12);
        for (int change = 1; change <= 12; change++) {
            assertThat(history.get(change - 1).path("note").asString()).isEqualTo("change " + change);
            assertThat(history.get(change - 1).path("revision").asLong()).isEqualTo(change + 1);
        }
        // The item's own document holds the revisions of its changes, not the entries: it stays small.
        Document summary = mongo.getCollection("item_history").find(new Document("_id", releaseId + "/" + itemId))
                .first();
        assertThat(summary).doesNotContainKey("changes");
        assertThat(summary.getList("revisions", Number.class)).hasSize(12);
        assertThat(mongo.getCollection("item_change").countDocuments(new Document("releaseId", releaseId)))
                .isEqualTo(12);

        // The relay delivers at least once: the first change relayed again is neither an error nor a second entry.
        Document first = mongo.getCollection("item_change").find(new Document("_id", ItemHistory.changeId(releaseId, 2)))
                .first().get("entry", Document.class);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("itemId", itemId);
        data.put("fromState", first.getString("fromState"));
        data.put("toState", first.getString("toState"));
        data.put("note", first.getString("note"));
        data.put("evidence", null);
        data.put("checklistVersion", 2L);
        Map<String, Object> again = new LinkedHashMap<>();
        again.put("type", "item.updated");
        again.put("releaseId", releaseId);
        again.put("actor", first.getString("by"));
        again.put("occurredAt", first.getDate("at").toInstant().toString());
        again.put("data", data);
        itemHistory.beforeDelivery(ReleaseStore.COLLECTION, List.of(again));

        assertThat(api.get("/api/releases/" + releaseId + "/items/" + itemId + "/history", eli()).json()).hasSize(12);
        assertThat(mongo.getCollection("item_change").countDocuments(new Document("releaseId", releaseId)))
                .isEqualTo(12);
        assertThat(api.get("/api/releases/" + releaseId + "/items/" + itemId, eli()).json().path("note").asString())
                .isEqualTo("change 12");
    }

    /** The id of the item of an imported release whose key ends with {@code keySuffix}. */
    private static String itemId(Api.Response created, String keySuffix) {
        return flatten(created.json().path("items")).stream()
                .filter(i -> i.path("key").asString().endsWith(keySuffix))
                .findFirst().orElseThrow().path("id").asString();
    }

    /** Imports the fixture and marks one item DONE with the note "dry run ok" as eli: {release id, item id}. */
    private String[] releaseWithOneItemDone() throws Exception {
        Api.Response created = api.post("/api/releases?product=toolboxai", riley(), "text/markdown",
                fixture(nextVersion()));
        String releaseId = created.json().path("id").asString();
        String itemId = itemId(created, "database-migration/migration-validation");
        assertThat(api.patch("/api/releases/" + releaseId + "/items/" + itemId, eli(), created.header("ETag"),
                "{\"state\":\"DONE\",\"note\":\"dry run ok\"}").status()).isEqualTo(200);
        return new String[] {releaseId, itemId};
    }

    private void assertHistoryAndNote(String releaseId, String itemId) throws Exception {
        JsonNode history = api.get("/api/releases/" + releaseId + "/items/" + itemId + "/history", eli()).json();
        assertThat(history).hasSize(1);
        assertThat(history.get(0).path("note").asString()).isEqualTo("dry run ok");
        assertThat(history.get(0).path("by").asString()).isEqualTo("eli");
        assertThat(history.get(0).path("revision").asLong()).isEqualTo(2);
        JsonNode item = api.get("/api/releases/" + releaseId + "/items/" + itemId, eli()).json();
        assertThat(item.path("state").asString()).isEqualTo("DONE");
        assertThat(item.path("note").asString()).isEqualTo("dry run ok");
        assertThat(item.path("updatedBy").asString()).isEqualTo("eli");
    }

    private long attemptsFor(String releaseId) {
        return PEERS.findAll(postRequestedFor(urlEqualTo("/api/events"))).stream()
                .filter(request -> request.getBodyAsString().contains(releaseId)).count();
    }

    private int pendingEvents(String releaseId) {
        Document outbox = mongo.getCollection("release").find(new Document("_id", releaseId)).first()
                .get("outbox", Document.class);
        return outbox.getList("pending", Document.class, List.of()).size();
    }

    /** Requests the consumer answered 2xx, oldest first. */
    private List<JsonNode> acceptedEventsFor(String releaseId) {
        List<JsonNode> events = new ArrayList<>();
        for (var served : PEERS.getAllServeEvents()) {
            LoggedRequest request = served.getRequest();
            if (!request.getUrl().equals("/api/events") || served.getResponse().getStatus() != 202) {
                continue;
            }
            JsonNode event = JSON.readTree(request.getBodyAsString());
            if (event.path("releaseId").asString().equals(releaseId)) {
                events.add(0, event);
            }
        }
        return events;
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
