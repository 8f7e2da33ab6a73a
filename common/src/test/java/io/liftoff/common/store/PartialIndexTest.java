package io.liftoff.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import org.bson.Document;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partial indexes in the embedded store: which queries they serve, and that through any mix of inserts, updates,
 * upserts and deletes (and a reopened store) a query they serve answers exactly what a scan answers.
 */
class PartialIndexTest {

    private static final Date EPOCH = new Date(0);

    @TempDir
    Path dir;

    @Test
    void servesOnlyTheQueriesThatImplyItsFilterAndLeavesThoseThatPinIdToTheIdIndex() {
        PartialIndex<Integer> unrouted = partial("unrouted", "receivedAt",
                new de.bwaldvogel.mongo.bson.Document("routed", false));
        PartialIndex<Integer> pending = partial("pending", "outbox.nextAttemptAt",
                new de.bwaldvogel.mongo.bson.Document("outbox.nextAttemptAt",
                        new de.bwaldvogel.mongo.bson.Document("$exists", true)));

        assertThat(unrouted.canHandle(query("routed", false).append("routeLeaseUntil", null))).isTrue();
        assertThat(unrouted.canHandle(query("routed", true))).isFalse();
        assertThat(unrouted.canHandle(query("routed", new de.bwaldvogel.mongo.bson.Document("$ne", true))))
                .as("$ne true also matches a missing field, which the filter left out").isFalse();
        assertThat(unrouted.canHandle(query("status", "PENDING"))).isFalse();

        assertThat(pending.canHandle(query("outbox.nextAttemptAt",
                new de.bwaldvogel.mongo.bson.Document("$lte", EPOCH)))).isTrue();
        assertThat(pending.canHandle(query("outbox.nextAttemptAt", EPOCH))).isTrue();
        assertThat(pending.canHandle(query("outbox.nextAttemptAt",
                new de.bwaldvogel.mongo.bson.Document("$exists", false)))).isFalse();
        assertThat(pending.canHandle(query("outbox.nextAttemptAt",
                new de.bwaldvogel.mongo.bson.Document("$in", List.of(EPOCH))))).isFalse();
        assertThat(pending.canHandle(query("outbox.leaseUntil", EPOCH))).isFalse();

        assertThat(PartialIndex.of("custom", keys("a"), description("x", new de.bwaldvogel.mongo.bson.Document(
                "$or", List.of(query("a", 1), query("b", 2)))))).as("a filter it cannot serve").isNull();
        assertThat(PartialIndex.of("plain", keys("a"), description("x", null))).isNull();

        Index<Integer> id = new MemoryUniqueIndex("_id_", keys("_id"), false);
        List<Index<Integer>> indexes = List.of(id, unrouted);
        assertThat(IdFirstPlanner.plan(indexes, query("routed", false).append("receivedAt", EPOCH), "_id").index())
                .isSameAs(unrouted);
        // A claim of named notifications that are still unrouted: the few ids, not every unrouted one.
        assertThat(IdFirstPlanner.plan(indexes, query("_id", new de.bwaldvogel.mongo.bson.Document("$in",
                List.of("n-1", "n-2"))).append("routed", false), "_id").index()).isSameAs(id);
        assertThat(IdFirstPlanner.plan(indexes, query("routed", true), "_id")).isNull();
    }

    @Test
    void answersWhatAScanAnswersThroughEveryKindOfWriteOnBothBackendsAndAfterTheStoreReopens() {
        Path file = dir.resolve("partial.mv");
        for (AbstractMongoBackend backend : List.of(new LiftoffMemoryBackend(),
                new LiftoffH2Backend(new MVStore.Builder().fileName(file.toString()).open()))) {
            Map<String, Document> expected = new HashMap<>();
            withServer(backend, notifications -> {
                notifications.createIndex(Indexes.ascending("receivedAt"),
                        new IndexOptions().name("unrouted").partialFilterExpression(Filters.eq("routed", false)));
                notifications.createIndex(Indexes.ascending("outbox.nextAttemptAt"), new IndexOptions()
                        .name("outbox_due").partialFilterExpression(Filters.exists("outbox.nextAttemptAt")));
                Random random = new Random(7);
                for (int i = 0; i < 400; i++) {
                    String id = "n-" + random.nextInt(150);
                    Document next = new Document("_id", id).append("routed", random.nextInt(3) == 0)
                            .append("receivedAt", new Date(i))
                            .append("outbox", random.nextBoolean() ? new Document("nextAttemptAt", new Date(i))
                                    : new Document());
                    switch (random.nextInt(5)) {
                        case 0 -> {
                            notifications.deleteOne(Filters.eq("_id", id));
                            expected.remove(id);
                        }
                        case 1 -> {
                            // the way the router marks one routed: only if it still is not
                            if (notifications.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("routed", false)),
                                    new Document("$set", new Document("routed", true))).getModifiedCount() == 1) {
                                expected.get(id).put("routed", true);
                            }
                        }
                        case 2 -> {
                            // the way the relay lets go of a document whose events all went out
                            notifications.updateOne(Filters.eq("_id", id),
                                    new Document("$unset", new Document("outbox.nextAttemptAt", "")));
                            if (expected.containsKey(id)) {
                                expected.get(id).put("outbox", new Document());
                            }
                        }
                        default -> {
                            notifications.replaceOne(Filters.eq("_id", id), next, new com.mongodb.client.model
                                    .ReplaceOptions().upsert(true));
                            expected.put(id, next);
                        }
                    }
                }
                // one claimed with findAndModify through the index itself
                Document claimed = notifications.findOneAndUpdate(Filters.eq("routed", false),
                        new Document("$set", new Document("routed", true)));
                if (claimed != null) {
                    expected.get(claimed.getString("_id")).put("routed", true);
                }
                notifications.updateMany(Filters.eq("_id", "n-none"), new Document("$set",
                        new Document("routed", false)), new UpdateOptions().upsert(true));
                expected.put("n-none", new Document("_id", "n-none").append("routed", false));
                assertAnswersMatch(notifications, expected);
                assertThat(notifications.listIndexes().into(new ArrayList<>())).filteredOn(i -> "unrouted".equals(
                        i.get("name"))).singleElement().extracting(i -> i.get("partialFilterExpression"))
                        .isEqualTo(new Document("routed", false));
            });
            if (backend instanceof LiftoffH2Backend) {
                withServer(new LiftoffH2Backend(new MVStore.Builder().fileName(file.toString()).open()),
                        reopened -> {
                            // a service creates its indexes at every start: the same partial index again is no conflict
                            reopened.createIndex(Indexes.ascending("receivedAt"), new IndexOptions().name("unrouted")
                                    .partialFilterExpression(Filters.eq("routed", false)));
                            reopened.createIndex(Indexes.ascending("outbox.nextAttemptAt"), new IndexOptions()
                                    .name("outbox_due").partialFilterExpression(Filters.exists("outbox.nextAttemptAt")));
                            assertAnswersMatch(reopened, expected);
                            reopened.updateMany(Filters.eq("routed", false),
                                    new Document("$set", new Document("routed", true)));
                            assertThat(reopened.countDocuments(Filters.eq("routed", false))).isZero();
                            reopened.insertOne(new Document("_id", "n-new").append("routed", false));
                            assertThat(ids(reopened, Filters.eq("routed", false))).containsExactly("n-new");
                        });
            }
        }
    }

    @Test
    void ensureReplacesAnIndexOfTheSameNameWithOtherOptionsAndIsIdempotentAcrossARestart() {
        Path file = dir.resolve("ensure.mv");
        for (int start = 0; start < 3; start++) {
            int current = start;
            withServer(new LiftoffH2Backend(new MVStore.Builder().fileName(file.toString()).open()), releases -> {
                if (current == 0) {
                    // what earlier builds made: a plain index of that name
                    releases.createIndex(Indexes.ascending("outbox.nextAttemptAt"), new IndexOptions()
                            .name("outbox_due"));
                    releases.insertOne(new Document("_id", "r-1").append("outbox",
                            new Document("nextAttemptAt", new Date(5))));
                    releases.insertOne(new Document("_id", "r-2").append("outbox", new Document()));
                }
                try (MongoClient second = MongoClients.create(CLIENT.get())) {
                    var mongo = new org.springframework.data.mongodb.core.MongoTemplate(second, "probe");
                    for (int twice = 0; twice < 2; twice++) {
                        PartialIndexes.ensure(mongo, "notification", "outbox_due",
                                Indexes.ascending("outbox.nextAttemptAt"), Filters.exists("outbox.nextAttemptAt"));
                    }
                }
                assertThat(releases.listIndexes().into(new ArrayList<>())).filteredOn(i -> "outbox_due".equals(
                        i.get("name"))).singleElement().extracting(i -> i.get("partialFilterExpression"))
                        .isEqualTo(new Document("outbox.nextAttemptAt", new Document("$exists", true)));
                assertThat(ids(releases, Filters.lte("outbox.nextAttemptAt", new Date(10)))).containsExactly("r-1");
            });
        }
    }

    private static void assertAnswersMatch(MongoCollection<Document> notifications, Map<String, Document> expected) {
        Set<String> unrouted = new TreeSet<>();
        Set<String> due = new TreeSet<>();
        expected.forEach((id, document) -> {
            if (Boolean.FALSE.equals(document.get("routed"))) {
                unrouted.add(id);
            }
            Document outbox = document.get("outbox", Document.class);
            if (outbox != null && outbox.getDate("nextAttemptAt") != null
                    && outbox.getDate("nextAttemptAt").getTime() <= 200) {
                due.add(id);
            }
        });
        assertThat(unrouted).isNotEmpty();
        assertThat(due).isNotEmpty();
        assertThat(ids(notifications, Filters.eq("routed", false))).isEqualTo(unrouted);
        assertThat(ids(notifications, Filters.lte("outbox.nextAttemptAt", new Date(200)))).isEqualTo(due);
        // the same answers as a scan: a query no index serves
        assertThat(ids(notifications, Filters.in("routed", false))).isEqualTo(unrouted);
        assertThat(notifications.countDocuments(Filters.eq("routed", false))).isEqualTo(unrouted.size());
    }

    private static Set<String> ids(MongoCollection<Document> collection, org.bson.conversions.Bson filter) {
        Set<String> ids = new TreeSet<>();
        collection.find(filter).forEach(document -> ids.add(document.getString("_id")));
        return ids;
    }

    private static PartialIndex<Integer> partial(String name, String key, de.bwaldvogel.mongo.bson.Document filter) {
        return PartialIndex.of(name, keys(key), description(name, filter));
    }

    private static de.bwaldvogel.mongo.bson.Document description(String name,
            de.bwaldvogel.mongo.bson.Document filter) {
        de.bwaldvogel.mongo.bson.Document description = new de.bwaldvogel.mongo.bson.Document("name", name);
        if (filter != null) {
            description.put("partialFilterExpression", filter);
        }
        return description;
    }

    private static de.bwaldvogel.mongo.bson.Document query(String key, Object value) {
        return new de.bwaldvogel.mongo.bson.Document(key, value);
    }

    private static List<IndexKey> keys(String key) {
        return List.of(new IndexKey(key, true));
    }

    /** The connection string of the server {@link #withServer} runs, for a second client. */
    private static final ThreadLocal<String> CLIENT = new ThreadLocal<>();

    private static void withServer(AbstractMongoBackend backend, Consumer<MongoCollection<Document>> work) {
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        CLIENT.set("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        try (MongoClient client = MongoClients.create(CLIENT.get())) {
            work.accept(client.getDatabase("probe").getCollection("notification"));
        }
        finally {
            CLIENT.remove();
            server.shutdownNow();
        }
    }
}
