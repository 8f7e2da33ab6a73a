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
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.bson.Document;
import org.h2.mvstore.MVMap;
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

        // Filters.and(eq("_id", …), eq("revision", …)) as the Java driver sends it.
        IdFirstPlanner.Plan<Integer> andPlan = IdFirstPlanner.plan(indexes, new de.bwaldvogel.mongo.bson.Document(
                "$and", List.of(new de.bwaldvogel.mongo.bson.Document("_id", "r-1"),
                        new de.bwaldvogel.mongo.bson.Document("revision", 7L))), "_id");
        assertThat(andPlan.index()).isSameAs(id);
        assertThat(andPlan.indexQuery()).isEqualTo(new de.bwaldvogel.mongo.bson.Document("_id", "r-1"));
        assertThat(IdFirstPlanner.plan(indexes, new de.bwaldvogel.mongo.bson.Document("$and",
                List.of(new de.bwaldvogel.mongo.bson.Document("revision", 7L))), "_id")).isNull();
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
                assertThat(releases.updateOne(com.mongodb.client.model.Filters.and(
                        com.mongodb.client.model.Filters.eq("_id", "r-10"),
                        com.mongodb.client.model.Filters.eq("revision", 9L)),
                        new Document("$set", new Document("revision", 11L))).getModifiedCount()).isZero();
                assertThat(releases.updateOne(com.mongodb.client.model.Filters.and(
                        com.mongodb.client.model.Filters.eq("_id", "r-10"),
                        com.mongodb.client.model.Filters.eq("revision", 10L)),
                        new Document("$set", new Document("revision", 11L))).getModifiedCount()).isOne();
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
    void documentsAreStoredAsBsonAndReadBackWithEveryTypeAcrossARestart() {
        Path file = dir.resolve("bson.mv");
        Document original = new Document("_id", "r-1").append("text", "grüße ✓").append("int", 42)
                .append("long", 1L << 40).append("double", 0.25).append("flag", true).append("nothing", null)
                .append("at", new Date(1_700_000_000_123L)).append("bytes", new org.bson.types.Binary(new byte[] {1, 2}))
                .append("oid", new org.bson.types.ObjectId("65a1b2c3d4e5f60718293a4b"))
                .append("list", List.of(1, "two", new Document("three", 3L)))
                .append("nested", new Document("deeper", new Document("deepest", List.of())));
        withServer(new LiftoffH2Backend(new MVStore.Builder().fileName(file.toString()).open()),
                releases -> releases.insertOne(original));
        withServer(new LiftoffH2Backend(new MVStore.Builder().fileName(file.toString()).open()),
                releases -> assertThat(releases.find(new Document("_id", "r-1")).first()).isEqualTo(original));

        // On disk it is BSON behind its own tag, not a Java object stream.
        MVStore store = new MVStore.Builder().fileName(file.toString()).open();
        try {
            MVMap<Object, Object> raw = store.openMap("databases.probe.release",
                    new MVMap.Builder<Object, Object>().valueType(new ByteArrayDataType()));
            byte[] stored = (byte[]) raw.get("r-1");
            assertThat(stored[0]).isEqualTo((byte) LiftoffH2Backend.BsonDocumentType.TAG_BSON_DOCUMENT);
            assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("java.util");
        }
        finally {
            store.close();
        }
    }

    @Test
    void documentsJavaSerialisedByAnEarlierBuildStayReadableAndAreRewrittenAsBson() {
        Path file = dir.resolve("earlier.mv");
        // As an earlier build stored documents: H2's default value type, a Java object stream. (The stock backend
        // writes them that way; with two keys of equal length its index order is the value order too, so the file
        // is marked as a Liftoff one, as the earlier build would have.)
        withServer(new H2Backend(file.toString()), releases -> {
            releases.insertOne(new Document("_id", "r-0"));
            releases.insertOne(new Document("_id", "r-1").append("note", "kept").append("revision", 3L));
        });
        MVStore store = new MVStore.Builder().fileName(file.toString()).open();
        store.<String, String>openMap(LiftoffH2Backend.META_MAP).put(LiftoffH2Backend.INDEX_ORDER_KEY,
                LiftoffH2Backend.INDEX_ORDER);
        store.close();

        withServer(new LiftoffH2Backend(new MVStore.Builder().fileName(file.toString()).open()), releases -> {
            assertThat(releases.find(new Document("_id", "r-1")).first().getString("note")).isEqualTo("kept");
            releases.updateOne(new Document("_id", "r-1"), new Document("$inc", new Document("revision", 1L)));
        });
        withServer(new LiftoffH2Backend(new MVStore.Builder().fileName(file.toString()).open()), releases -> {
            Document reread = releases.find(new Document("_id", "r-1")).first();
            assertThat(reread.getString("note")).isEqualTo("kept");
            assertThat(reread.getLong("revision")).isEqualTo(4L);
            assertThat(releases.countDocuments()).isEqualTo(2);
        });
    }

    /** Reads a stored value as its raw bytes (everything after the map's own framing). */
    private static final class ByteArrayDataType extends org.h2.mvstore.type.BasicDataType<Object> {

        @Override
        public int getMemory(Object obj) {
            return ((byte[]) obj).length;
        }

        @Override
        public void write(org.h2.mvstore.WriteBuffer buff, Object obj) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public Object read(java.nio.ByteBuffer buff) {
            byte[] all = new byte[buff.remaining()];
            buff.get(all);
            return all;
        }

        @Override
        public Object[] createStorage(int size) {
            return new Object[size];
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

    @Test
    void indexKeysAreWrittenAsBsonAndKeysJavaSerialisedByAnEarlierBuildStayReadable() {
        LiftoffH2Backend.KeyValueType type = new LiftoffH2Backend.KeyValueType();
        List<KeyValue> keys = List.of(new KeyValue("r-1", 7, 8L, 2.5, true, null),
                new KeyValue(java.time.Instant.ofEpochMilli(1_700_000_000_123L), new ObjectId(),
                        java.util.UUID.randomUUID()),
                new KeyValue(Missing.getInstance(), "toolboxai", Missing.getInstance()),
                new KeyValue(new de.bwaldvogel.mongo.bson.Document("product", "a").append("n", 1)),
                new KeyValue(List.of("a", "b")));
        for (KeyValue key : keys) {
            org.h2.mvstore.WriteBuffer written = new org.h2.mvstore.WriteBuffer();
            type.write(written, key);
            java.nio.ByteBuffer bytes = written.getBuffer().flip();
            assertThat(bytes.get(0)).as("BSON, not a Java object stream: " + key)
                    .isEqualTo((byte) LiftoffH2Backend.KeyValueType.TAG_BSON_KEY);
            Object read = type.read(bytes);
            assertThat(read).isEqualTo(key);
            assertThat(bytes.hasRemaining()).isFalse();

            org.h2.mvstore.WriteBuffer legacy = new org.h2.mvstore.WriteBuffer();
            new org.h2.mvstore.type.ObjectDataType().write(legacy, key);
            // (a Java-serialised Missing comes back as another instance: the index compares keys, it does not equal them)
            assertThat(type.compare(type.read(legacy.getBuffer().flip()), key)).isZero();
        }
    }

    @Test
    void stringKeysAreOrderedAsTheValueComparatorOrdersThem() {
        LiftoffH2Backend.KeyValueType type = new LiftoffH2Backend.KeyValueType();
        de.bwaldvogel.mongo.backend.ValueComparator reference = de.bwaldvogel.mongo.backend.ValueComparator.asc();
        List<String> values = List.of("", "a", "A", "ab", "b", "0192f3a1-7c2e", "0192f3a1-7c2f", "\u00e9", "z\u00e9",
                "\ud83d\ude00", "\uffff", "a\u0000");
        for (String left : values) {
            for (String right : values) {
                assertThat(Integer.signum(type.compare(new KeyValue(left), new KeyValue(right))))
                        .as("%s against %s", left, right)
                        .isEqualTo(Integer.signum(reference.compare(left, right)));
                assertThat(Integer.signum(type.compare(new KeyValue(left, 1), new KeyValue(right, 2))))
                        .isEqualTo(left.equals(right) ? -1 : Integer.signum(reference.compare(left, right)));
            }
        }
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
