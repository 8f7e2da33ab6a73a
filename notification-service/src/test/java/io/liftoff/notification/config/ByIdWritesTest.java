package io.liftoff.notification.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import io.liftoff.common.store.LiftoffMemoryBackend;
import io.liftoff.notification.delivery.DeliveryDoc;
import io.liftoff.notification.delivery.DeliveryDoc.AttemptRecord;
import io.liftoff.notification.delivery.DeliveryDoc.DeliveryState;
import io.liftoff.notification.event.Severity;
import io.liftoff.notification.notification.NotificationDoc;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.convert.UpdateMapper;
import org.springframework.data.mongodb.core.query.Update;

/**
 * The workers' updates written without Spring Data's update mapper: the same documents as the mapper makes, the
 * same stored result, and anything the shortcut cannot convert alone goes through the mapper.
 */
class ByIdWritesTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:15:30.123Z");

    private MongoServer server;
    private MongoClient client;
    private MongoTemplate mongo;
    private ByIdWrites writes;

    @BeforeEach
    void start() {
        server = new MongoServer(new LiftoffMemoryBackend());
        server.bind("127.0.0.1", 0);
        client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        mongo = new MongoTemplate(client, "bywrites");
        writes = new ByIdWrites(mongo);
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
    }

    /** As the dispatcher records a delivered attempt, a failed one, and a refusal. */
    private static List<Update> attempts() {
        return List.of(
                new Update().push("log", new AttemptRecord(AT, "DELIVERED", 204, null, 12)).set("tries", 1)
                        .unset("leaseUntil").unset("leaseOwner").set("status", DeliveryState.DELIVERED)
                        .set("deliveredAt", AT),
                new Update().push("log", new AttemptRecord(AT, "FAILED", null, "connection reset", 2001))
                        .set("tries", 3).unset("leaseUntil").unset("leaseOwner").set("nextAttemptAt", AT),
                new Update().push("log", new AttemptRecord(AT, "REFUSED", 410, "gone", 5)).set("tries", 1)
                        .unset("leaseUntil").unset("leaseOwner").set("status", DeliveryState.DEAD_LETTER));
    }

    /** As the router marks a notification routed. */
    private static Update routed() {
        return new Update().set("routed", true).set("title", "Release toolboxai 1.1.0").set("text", null)
                .set("contactsSource", "CHECKLIST").set("channels", List.of("WEBHOOK", "EMAIL"))
                .set("severity", Severity.CRITICAL).unset("routeLeaseUntil").unset("routeLeaseOwner");
    }

    /** A pending delivery, stored, leased to {@code owner} (or to no one). */
    private DeliveryDoc pending(String id, String owner) {
        DeliveryDoc d = new DeliveryDoc();
        d.id = id;
        d.status = DeliveryState.PENDING;
        d.leaseOwner = owner;
        return mongo.insert(d);
    }

    private Document byMapper(Update update, Class<?> type) {
        return new UpdateMapper(mongo.getConverter()).getMappedObject(update.getUpdateObject(),
                mongo.getConverter().getMappingContext().getPersistentEntity(type));
    }

    @Test
    void theWorkersUpdatesAreTheDocumentsTheMapperMakes() {
        for (Update update : attempts()) {
            assertThat(writes.plain(update)).isEqualTo(byMapper(update, DeliveryDoc.class));
        }
        assertThat(writes.plain(routed())).isEqualTo(byMapper(routed(), NotificationDoc.class));
        Document attempt = (Document) writes.plain(attempts().get(0)).get("$push", Document.class).get("log");
        assertThat(attempt).doesNotContainKey("_class");
        assertThat(attempt.get("at")).isInstanceOf(java.util.Date.class);
    }

    @Test
    void writesByIdAndTellsHowManyMatched() {
        DeliveryDoc d = pending("n1|1|1|c:ch", "me");
        long matched = writes.write(DeliveryDoc.class, List.of(new ByIdWrites.Write(d.id, attempts().get(0)),
                new ByIdWrites.Write("missing", attempts().get(1))), null, null);
        assertThat(matched).isEqualTo(1);
        DeliveryDoc stored = mongo.findById(d.id, DeliveryDoc.class);
        assertThat(stored.status).isEqualTo(DeliveryState.DELIVERED);
        assertThat(stored.deliveredAt).isEqualTo(AT);
        assertThat(stored.leaseOwner).isNull();
        assertThat(stored.log).containsExactly(new AttemptRecord(AT, "DELIVERED", 204, null, 12));
    }

    @Test
    void anOwnerConditionWritesOnlyWhileTheLeaseIsStillOurs() {
        DeliveryDoc d = pending("n2|1|1|c:ch", "someone-else");
        assertThat(writes.write(DeliveryDoc.class, List.of(new ByIdWrites.Write(d.id, attempts().get(0))),
                "leaseOwner", "me")).isZero();
        assertThat(mongo.findById(d.id, DeliveryDoc.class).status).isEqualTo(DeliveryState.PENDING);
    }

    @Test
    void whatTheShortcutCannotConvertGoesThroughTheMapper() {
        assertThat(writes.plain(new Update().set("message.title", "x"))).isNull();
        assertThat(writes.plain(new Update().set("id", "x"))).isNull();
        assertThat(writes.plain(new Update().push("log").each(new AttemptRecord(AT, "DELIVERED", 200, null, 1))))
                .isNull();
        DeliveryDoc d = pending("n3|1|1|c:ch", null);
        Update nested = new Update().push("log").each(new AttemptRecord(AT, "FAILED", 500, "boom", 3),
                new AttemptRecord(AT, "DELIVERED", 200, null, 1)).set("tries", 2);
        assertThat(writes.write(DeliveryDoc.class, List.of(new ByIdWrites.Write(d.id, nested)), null, null))
                .isEqualTo(1);
        assertThat(mongo.findById(d.id, DeliveryDoc.class).log).hasSize(2);
    }
}
