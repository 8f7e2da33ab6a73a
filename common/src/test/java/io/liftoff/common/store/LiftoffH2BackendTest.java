package io.liftoff.common.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The value-ordered unique indexes: look-ups, uniqueness and compound keys, across a restart; stock files refused.
 * Queries that pin {@code _id} planned on the {@code _id} index, on both embedded backends.
 */
class LiftoffH2BackendTest {

    @TempDir
    Path dir;

    @Test
    void uniqueIndexesFindAndGuardDocumentsAndSurviveARestart() {
        Path file = dir.resolve("mongo.mv");
        withServer(new LiftoffH2Backend(new MVStore.Builder().fileName(file.toString()).open()), releases -> {
            releases.createIndex(Indexes.ascending("product", "version"), new IndexOptions().unique(true));
            releases.createIndex(Indexes.ascending("_id", "revision"), new IndexOptions().unique(true));
            for (int i = 0; i < 500; i++) {
                releases.insertOne(new Document("_id", "r-" + i).append("product", i % 2 == 0 ? "a" : "b")
                        .append("version", "1." + i + ".0").append("revision", (long) i)
                        .append("at", new Date(1_700_000_000_000L + i)));
            }
            assertThatThrownBy(() -> releases.insertOne(new Document("_id", "dup").append("product", "a")
                    .append("version", "1.0.0"))).isInstanceOf(MongoWriteException.class)
                    .hasMessageContaining("duplicate key");
            // A compare-and-set on the compound index: only the right revision matches.
            assertThat(releases.updateOne(new Document("_id", "r-7").append("revision", 6L),
                    new Document("$set", new Document("revision", 8L))).getModifiedCount()).isZero();
            assertThat(releases.updateOne(new Document("_id", "r-7").append("revision", 7L),
                    new Document("$set", new Document("revision", 8L))).getModifiedCount()).isOne();
        });
        withServer(new LiftoffH2Backend(new MVStore.Builder().fileName(file.toString()).open()), releases -> {
            assertThat(releases.countDocuments()).isEqualTo(500);
            assertThat(releases.find(new Document("_id", "r-499")).first().getString("version")).isEqualTo("1.499.0");
            assertThat(releases.find(new Document("_id", "r-7").append("revision", 8L)).first()).isNotNull();
            assertThat(releases.find(new Document("product", "b").append("version", "1.301.0")).first().get("_id"))
                    .isEqualTo("r-301");
            assertThatThrownBy(() -> releases.insertOne(new Document("_id", "r-1"))).isInstanceOf(
                    MongoWriteException.class);
        });
    }

    @Test
    void queriesThatPinIdArePlannedOnTheIdIndexAndStillMatchTheWholeQuery() {
        Index<Integer> id = new MemoryUniqueIndex("_id_", List.of(new IndexKey("_id", true)), false);
        Index<Integer> productVersion = new MemoryUniqueIndex("pv",
                List.of(new IndexKey("product", true), new IndexKey("version", true)), false);
        List<Index<Integer>> indexes = List.of(id, productVersion);

        assertThat(IdFirstPlanner.plan(indexes, new de.bwaldvogel.mongo.bson.Document("product", "a")
                .append("version", "1.0.0"), "_id").index()).isSameAs(productVersion);
        IdFirstPlanner.Plan<Integer> casPlan = IdFirstPlanner.plan(indexes,
                new de.bwaldvogel.mongo.bson.Document("_id", "r-1").append("revision", 7L), "_id");
        assertThat(casPlan.index()).isSameAs(id);
        assertThat(casPlan.indexQuery()).isEqualTo(new de.bwaldvogel.mongo.bson.Document("_id", "r-1"));
        assertThat(IdFirstPlanner.plan(indexes, new de.bwaldvogel.mongo.bson.Document("revision", 7L), "_id"))
                .isNull();
        assertThat(IdFirstPlanner.plan(List.of(productVersion),
                new de.bwaldvogel.mongo.bson.Document("_id", "r-1").append("revision", 7L), "_id")).isNull();
    }

    @Test
    void compareAndSetWritesWorkOnTheIdIndexAloneOnBothBackends() {
        for (AbstractMongoBackend backend : List.of(new LiftoffMemoryBackend(),
                new LiftoffH2Backend(new MVStore.Builder().fileName(dir.resolve("cas.mv").toString()).open()))) {
            withServer(backend, releases -> {
                for (int i = 0; i < 50; i++) {
                    releases.insertOne(new Document("_id", "r-" + i).append("product", i % 2 == 0 ? "a" : "b")
                            .append("revision", (long) i).append("lease", "").append("until", new Date(0)));
                }
                // The rest of the query is checked on the document the _id index finds.
                assertThat(releases.updateOne(new Document("_id", "r-7").append("revision", 6L),
                        new Document("$set", new Document("revision", 8L))).getModifiedCount()).isZero();
                assertThat(releases.updateOne(new Document("_id", "r-7").append("revision", 7L),
                        new Document("$set", new Document("revision", 8L))).getModifiedCount()).isOne();
                assertThat(releases.findOneAndUpdate(new Document("_id", "r-9").append("lease", "")
                        .append("until", new Date(0)), new Document("$set", new Document("lease", "me")))).isNotNull();
                assertThat(releases.findOneAndUpdate(new Document("_id", "r-9").append("lease", "")
                        .append("until", new Date(0)), new Document("$set", new Document("lease", "you")))).isNull();
                assertThat(releases.find(new Document("_id", new Document("$in", List.of("r-1", "r-2", "r-3")))
                        .append("product", "b")).into(new java.util.ArrayList<>())).extracting(d -> d.get("_id"))
                        .containsExactlyInAnyOrder("r-1", "r-3");
                assertThat(releases.find(new Document("_id", "r-404").append("revision", 1L)).first()).isNull();
                assertThat(releases.countDocuments(new Document("product", "a"))).isEqualTo(25);
                assertThat(releases.deleteOne(new Document("_id", "r-8").append("revision", 7L)).getDeletedCount())
                        .isZero();
                assertThat(releases.deleteOne(new Document("_id", "r-8").append("revision", 8L)).getDeletedCount())
                        .isOne();
            });
        }
    }

    @Test
    void aFileWrittenWithTheStockIndexOrderIsRefusedWithAMessage() {
        Path file = dir.resolve("old.mv");
        withServer(new H2Backend(file.toString()), releases -> releases.insertOne(new Document("_id", "r-1")));

        assertThatThrownBy(() -> new LiftoffH2Backend(new MVStore.Builder().fileName(file.toString()).open()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("earlier Liftoff build")
                .hasMessageContaining("old.mv");
    }

    private static void withServer(AbstractMongoBackend backend, Consumer<MongoCollection<Document>> work) {
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
            work.accept(client.getDatabase("probe").getCollection("release"));
        }
        finally {
            server.shutdownNow();
        }
    }
}
