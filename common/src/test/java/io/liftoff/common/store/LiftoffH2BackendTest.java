package io.liftoff.common.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Date;
import java.util.function.Consumer;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The value-ordered unique indexes: look-ups, uniqueness and compound keys, across a restart; stock files refused. */
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
