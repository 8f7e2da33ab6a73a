package io.liftoff.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import io.liftoff.common.store.LiftoffMemoryBackend;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/** The relay against the embedded store: order, removal, failures and backoff, concurrent writers, dead relays. */
class OutboxRelayTest {

    private static final String COLLECTION = "aggregate";

    private MongoServer server;
    private MongoClient client;
    private MongoTemplate mongo;
    private final List<String> published = new CopyOnWriteArrayList<>();
    private volatile boolean consumerUp = true;

    @BeforeEach
    void start() {
        server = new MongoServer(new LiftoffMemoryBackend());
        server.bind("127.0.0.1", 0);
        client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        mongo = new MongoTemplate(client, "relay");
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
    }

    @Test
    void deliversEveryEventInOrderAndLeavesTheDocumentFreeAndNotDue() {
        OutboxRelay relay = relay(List.of());
        insert("a", 3);

        relay.wake(COLLECTION, "a");
        assertThat(relay.relayOnce()).isEqualTo(3);

        assertThat(published).containsExactly("a-0", "a-1", "a-2");
        Document outbox = outbox("a");
        assertThat(outbox.getList("pending", Document.class)).isEmpty();
        assertThat(outbox.get("nextAttemptAt")).isNull();
        assertThat(outbox.getString("leaseOwner")).isEmpty();
        assertThat(outbox.getDate("leaseUntil")).isEqualTo(Date.from(Instant.EPOCH));
    }

    @Test
    void aFailedDeliveryKeepsTheRestForABackedOffRetryAndDeliversItWhenTheConsumerIsBack() {
        OutboxRelay relay = relay(List.of());
        insert("a", 3);
        consumerUp = false;

        relay.wake(COLLECTION, "a");
        assertThat(relay.relayOnce()).isZero();

        Document outbox = outbox("a");
        assertThat(outbox.getList("pending", Document.class)).hasSize(3);
        assertThat(outbox.getInteger("attempts")).isEqualTo(1);
        assertThat(outbox.getDate("nextAttemptAt")).isAfter(new Date());

        // A hint while backing off does not deliver early.
        consumerUp = true;
        relay.wake(COLLECTION, "a");
        assertThat(relay.relayOnce()).isZero();
        assertThat(outbox("a").getList("pending", Document.class)).hasSize(3);
        assertThat(outbox("a").getString("leaseOwner")).isEmpty();

        // Once due (here: pushed into the past), the retry delivers everything once.
        mongo.updateFirst(byId("a"), new Update().set("outbox.nextAttemptAt", Instant.now().minusSeconds(1)),
                COLLECTION);
        relay.wake(COLLECTION, "a");
        assertThat(relay.relayOnce()).isEqualTo(3);
        assertThat(published).containsExactly("a-0", "a-1", "a-2");
        assertThat(outbox("a").getList("pending", Document.class)).isEmpty();
        assertThat(outbox("a").getInteger("attempts")).isZero();
    }

    @Test
    void anEventAWriterAddsDuringDeliveryIsKeptAndDeliveredRightAfter() {
        List<OutboxListener> listeners = new ArrayList<>();
        listeners.add((collection, envelope) -> {
            if ("a-0".equals(envelope.get("eventId"))) {
                mongo.updateFirst(byId("a"), new Update().push("outbox.pending", event("a-late"))
                        .min("outbox.nextAttemptAt", new Date()).inc("version", 1), COLLECTION);
            }
        });
        OutboxRelay relay = relay(listeners);
        insert("a", 2);

        relay.wake(COLLECTION, "a");
        // The late event's own hint found the document claimed; the relay comes back for it in the same pass.
        assertThat(relay.relayOnce()).isEqualTo(3);

        assertThat(published).containsExactly("a-0", "a-1", "a-late");
        assertThat(outbox("a").getList("pending", Document.class)).isEmpty();
        assertThat(outbox("a").get("nextAttemptAt")).isNull();
    }

    @Test
    void eventsWrittenWithinTheLingerLeaveWithOneClaim() throws Exception {
        List<List<Object>> claims = new CopyOnWriteArrayList<>();
        OutboxListener perClaim = new OutboxListener() {

            @Override
            public void beforeDelivery(String collection, Map<String, Object> envelope) {
            }

            @Override
            public void beforeDelivery(String collection, List<Map<String, Object>> envelopes) {
                claims.add(envelopes.stream().map(e -> e.get("eventId")).toList());
            }
        };
        OutboxRelay relay = relay(List.of(perClaim), Duration.ofMillis(300));
        insert("a", 1);
        relay.wake(COLLECTION, "a");
        for (int i = 1; i <= 2; i++) {
            mongo.updateFirst(byId("a"), new Update().push("outbox.pending", event("a-late-" + i))
                    .inc("version", 1), COLLECTION);
            relay.wake(COLLECTION, "a");
        }
        assertThat(relay.relayOnce()).as("claimed before the linger is over").isZero();
        assertThat(published).isEmpty();

        Thread.sleep(350);
        assertThat(relay.relayOnce()).isEqualTo(3);
        assertThat(claims).containsExactly(List.of("a-0", "a-late-1", "a-late-2"));
        assertThat(published).containsExactly("a-0", "a-late-1", "a-late-2");
        assertThat(outbox("a").getList("pending", Document.class)).isEmpty();
        // the hint was taken: nothing is left to claim
        assertThat(relay.relayOnce()).isZero();
        assertThat(claims).hasSize(1);
    }

    @Test
    void aBatchingPublisherGetsTheBacklogAHundredAtATimeAndAFailedBatchStaysForTheRetry() {
        List<Integer> calls = new CopyOnWriteArrayList<>();
        EventPublisher batching = new EventPublisher() {

            @Override
            public void publish(Map<String, Object> envelope) {
                throw new AssertionError("a batching publisher gets every event through publishAll");
            }

            @Override
            public Outcome publishAll(List<Map<String, Object>> envelopes) {
                calls.add(envelopes.size());
                if (calls.size() == 2 && !consumerUp) {
                    return new Outcome(0, new EventDeliveryException("batch refused", new IllegalStateException()));
                }
                envelopes.forEach(e -> published.add((String) e.get("eventId")));
                return new Outcome(envelopes.size(), null);
            }
        };
        OutboxProperties properties = new OutboxProperties(true, URI.create("http://unused"), List.of(),
                List.of(COLLECTION), "version", Duration.ofMillis(500), Duration.ofHours(1), Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(2), Duration.ofSeconds(5), 4,
                Duration.ZERO, true);
        OutboxRelay relay = new OutboxRelay(mongo, batching, List.of(), properties, Clock.systemUTC());
        relay.relayOnce();
        insert("a", 250);
        consumerUp = false;

        relay.wake(COLLECTION, "a");
        assertThat(relay.relayOnce()).isEqualTo(100);
        assertThat(calls).containsExactly(100, 100);
        assertThat(outbox("a").getList("pending", Document.class)).hasSize(150);

        consumerUp = true;
        mongo.updateFirst(byId("a"), new Update().set("outbox.nextAttemptAt", Instant.now().minusSeconds(1)),
                COLLECTION);
        relay.wake(COLLECTION, "a");
        assertThat(relay.relayOnce()).isEqualTo(150);
        assertThat(calls).containsExactly(100, 100, 100, 50);
        assertThat(published).containsExactlyElementsOf(IntStream.range(0, 250).mapToObj(i -> "a-" + i).toList());
        assertThat(outbox("a").getList("pending", Document.class)).isEmpty();
    }

    @Test
    void aLongBacklogIsDeliveredCompletelyAndInOrder() {
        OutboxRelay relay = relay(List.of());
        insert("a", 250);

        relay.wake(COLLECTION, "a");
        assertThat(relay.relayOnce()).isEqualTo(250);

        assertThat(published).containsExactlyElementsOf(IntStream.range(0, 250).mapToObj(i -> "a-" + i).toList());
        assertThat(outbox("a").getList("pending", Document.class)).isEmpty();
    }

    @Test
    void aClaimHeldByARelayThatDiedIsTakenOverOnceItsLeaseExpires() {
        OutboxRelay relay = relay(List.of());
        insert("a", 1);
        mongo.updateFirst(byId("a"), new Update().set("outbox.leaseOwner", "dead-relay")
                .set("outbox.leaseUntil", Instant.now().plusSeconds(60)), COLLECTION);

        relay.wake(COLLECTION, "a");
        assertThat(relay.relayOnce()).as("a live lease is respected").isZero();

        mongo.updateFirst(byId("a"), new Update().set("outbox.leaseUntil", Instant.now().minusSeconds(1)),
                COLLECTION);
        relay.wake(COLLECTION, "a");
        assertThat(relay.relayOnce()).isEqualTo(1);
        assertThat(published).containsExactly("a-0");
    }

    @Test
    void theSweepFindsDocumentsNobodyHinted() {
        OutboxRelay relay = relay(List.of());
        insert("a", 1);
        insert("b", 2);

        relay.wake();
        assertThat(relay.relayOnce()).isEqualTo(3);
        assertThat(published).containsExactlyInAnyOrder("a-0", "b-0", "b-1");
        // served by the partial index of documents with events to relay, which the embedded store keeps too
        assertThat(mongo.indexOps(COLLECTION).getIndexInfo()).filteredOn(i -> i.getName().equals(
                OutboxRelay.DUE_INDEX)).singleElement().satisfies(i -> assertThat(i.getPartialFilterExpression())
                        .contains("outbox.nextAttemptAt"));

        insert("c", 1);
        relay.wake();
        assertThat(relay.relayOnce()).isEqualTo(1);
        relay.wake();
        assertThat(relay.relayOnce()).as("nothing left to relay").isZero();
    }

    @Test
    void runningWorkersDeliverEveryEventOfConcurrentWritersInOrderPerDocument() throws Exception {
        OutboxRelay relay = relay(List.of());
        List<String> ids = List.of("a", "b", "c", "d", "e", "f");
        ids.forEach(id -> insert(id, 0));
        relay.start();
        try {
            var pool = java.util.concurrent.Executors.newFixedThreadPool(ids.size());
            for (String id : ids) {
                pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        mongo.updateFirst(byId(id), new Update().push("outbox.pending", event(id + "-" + i))
                                .min("outbox.nextAttemptAt", new Date()).inc("version", 1), COLLECTION);
                        relay.wake(COLLECTION, id);
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (ids.stream().anyMatch(id -> !outbox(id).getList("pending", Document.class).isEmpty())
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        finally {
            relay.stop();
        }
        for (String id : ids) {
            assertThat(outbox(id).getList("pending", Document.class)).as("pending of " + id).isEmpty();
            List<String> mine = published.stream().filter(e -> e.startsWith(id + "-")).distinct().toList();
            assertThat(mine).containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> id + "-" + i).toList());
        }
    }

    private OutboxRelay relay(List<OutboxListener> listeners) {
        return relay(listeners, Duration.ZERO);
    }

    private OutboxRelay relay(List<OutboxListener> listeners, Duration linger) {
        OutboxProperties properties = new OutboxProperties(true, URI.create("http://unused"), List.of(),
                List.of(COLLECTION), "version", Duration.ofMillis(500), Duration.ofHours(1), Duration.ofSeconds(30),
                Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(2), Duration.ofSeconds(5), 4,
                linger, false);
        OutboxRelay relay = new OutboxRelay(mongo, this::publish, listeners, properties, Clock.systemUTC());
        relay.createIndexes();
        relay.relayOnce(); // the first pass sweeps (nothing yet)
        return relay;
    }

    private void publish(Map<String, Object> envelope) throws EventPublisher.EventDeliveryException {
        if (!consumerUp) {
            throw new EventPublisher.EventDeliveryException("consumer down", new IllegalStateException("503"));
        }
        published.add((String) envelope.get("eventId"));
    }

    private void insert(String id, int events) {
        List<Document> pending = IntStream.range(0, events).mapToObj(i -> event(id + "-" + i)).toList();
        mongo.insert(new Document("_id", id).append("version", 1L).append("outbox",
                new Document("pending", pending).append("nextAttemptAt", new Date())
                        .append("leaseUntil", Date.from(Instant.EPOCH)).append("leaseOwner", "")
                        .append("attempts", 0)), COLLECTION);
    }

    private static Document event(String eventId) {
        return new Document("eventId", eventId).append("type", "thing.happened").append("releaseId", "r")
                .append("product", "p").append("occurredAt", new Date()).append("actor", "a")
                .append("data", new Document("n", 1));
    }

    private Document outbox(String id) {
        return mongo.findById(id, Document.class, COLLECTION).get("outbox", Document.class);
    }

    private static Query byId(String id) {
        return Query.query(Criteria.where("_id").is(id));
    }
}
