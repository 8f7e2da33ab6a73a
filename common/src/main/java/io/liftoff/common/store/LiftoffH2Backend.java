package io.liftoff.common.store;

import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.h2.H2UniqueIndex;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

/**
 * mongo-java-server's H2 backend with unique indexes that compare their keys as values.
 * <p>
 * The stock backend keeps each unique index in an H2 map whose keys ({@link KeyValue}) H2 does not know how to
 * compare, so it compares them by Java-serialising both sides, at every step of every B-tree search. With a handful of
 * unique indexes on a collection, that made a one-field update of a small document cost about a millisecond of CPU
 * (checklist-service's benchmark profile: a third of the store's time went to serialising keys). Here the index maps
 * order keys with mongo-java-server's own {@link ValueComparator}, field by field; the stored form is unchanged.
 * <p>
 * Its collections also plan queries the way MongoDB does for the common case of one document: a query that pins
 * {@code _id} is served by the {@code _id} index ({@link IdFirstPlanner}), and they keep no running BSON size.
 * <p>
 * The order of keys is part of the stored index, so a file whose indexes were built in the stock order cannot be
 * opened with this one: such a file is refused with a message, instead of serving wrong look-ups.
 */
public class LiftoffH2Backend extends H2Backend {

    static final String META_MAP = "liftoff.meta";
    static final String INDEX_ORDER_KEY = "index-order";
    static final String INDEX_ORDER = "value-comparator-1";

    private static final Constructor<H2UniqueIndex> UNIQUE_INDEX = uniqueIndexConstructor();
    private static final java.lang.reflect.Field STORE_FIELD = storeField();

    /** How often the store's compaction looks at it. */
    static final Duration COMPACTION_CHECK = Duration.ofSeconds(1);

    /** Reclaims dead space while the store is idle; stopped before the store closes. Null: none (tests). */
    private final IdleCompaction compaction;

    /** A backend on the store, without compaction of its own (H2's housekeeping, if the store was opened with it). */
    public LiftoffH2Backend(MVStore store) {
        super(checked(store));
        this.compaction = null;
    }

    /**
     * A backend on a store opened with H2's housekeeping off, compacted while idle instead ({@link IdleCompaction}).
     *
     * @param fillRate  chunks and file are compacted while less full than this (percent; 0: never)
     * @param idleAfter how long the store must go without a change to count as idle
     */
    LiftoffH2Backend(MVStore store, int fillRate, Duration idleAfter) {
        super(checked(store));
        this.compaction = fillRate > 0 ? IdleCompaction.start(store, fillRate, idleAfter, COMPACTION_CHECK) : null;
    }

    @Override
    public void close() {
        if (compaction != null) {
            compaction.close();
        }
        super.close();
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new ValueOrderedDatabase(databaseName, getMvStore(), this);
    }

    private static MVStore checked(MVStore store) {
        MVMap<String, String> meta = store.openMap(META_MAP);
        String order = meta.get(INDEX_ORDER_KEY);
        if (INDEX_ORDER.equals(order)) {
            return store;
        }
        Set<String> others = new java.util.HashSet<>(store.getMapNames());
        others.remove(META_MAP);
        if (!others.isEmpty()) {
            store.close();
            throw new IllegalStateException("The embedded store " + store.getFileStore().getFileName()
                    + " was written by an earlier Liftoff build whose indexes this build cannot read. Move its folder"
                    + " away (or point liftoff.data-dir elsewhere) and start again.");
        }
        meta.put(INDEX_ORDER_KEY, INDEX_ORDER);
        return store;
    }

    private static java.lang.reflect.Field storeField() {
        try {
            java.lang.reflect.Field field = H2Database.class.getDeclaredField("mvStore");
            field.setAccessible(true);
            return field;
        }
        catch (NoSuchFieldException ex) {
            throw new IllegalStateException("mongo-java-server's H2Database changed; check LiftoffH2Backend", ex);
        }
    }

    private static Constructor<H2UniqueIndex> uniqueIndexConstructor() {
        try {
            Constructor<H2UniqueIndex> constructor = H2UniqueIndex.class.getDeclaredConstructor(MVMap.class,
                    String.class, List.class, boolean.class);
            constructor.setAccessible(true);
            return constructor;
        }
        catch (NoSuchMethodException ex) {
            throw new IllegalStateException("mongo-java-server's H2UniqueIndex changed; check LiftoffH2Backend", ex);
        }
    }

    private static final class ValueOrderedDatabase extends H2Database {

        ValueOrderedDatabase(String name, MVStore store, LiftoffH2Backend backend) {
            super(name, store, backend.getCursorRegistry());
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            // Also called from H2Database's constructor: only the store (by reflection) may be used here.
            MVStore store = store(this);
            String name = getFullCollectionNamespace(collectionName);
            // The name H2Database gives the map of a collection's documents.
            MVMap<Object, Object> data = store.openMap("databases." + name,
                    new MVMap.Builder<Object, Object>().valueType(new BsonDocumentType()));
            return new BsonCollection(this, collectionName, options, data, cursorRegistry);
        }

        @Override
        protected void addIndex(de.bwaldvogel.mongo.bson.Document description) {
            PartialIndex.creating(description, () -> super.addIndex(description));
        }

        /** Partial indexes are served ({@link PartialIndex}); other secondary indexes are ignored, as before. */
        @Override
        protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName,
                List<IndexKey> keys, boolean sparse) {
            return PartialIndex.secondary(getFullCollectionNamespace(collectionName), indexName, keys,
                    getOrCreateIndexesCollection());
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                boolean sparse) {
            // Called from H2Database's constructor (existing indexes), before a field of this class could be set.
            MVStore store = store(this);
            MVMap<KeyValue, Object> map = store.openMap(getFullCollectionNamespace(collectionName) + "._index_"
                    + indexName, new MVMap.Builder<KeyValue, Object>().keyType(new KeyValueType()));
            try {
                return UNIQUE_INDEX.newInstance(map, indexName, keys, sparse);
            }
            catch (ReflectiveOperationException ex) {
                throw new IllegalStateException("Cannot open unique index " + indexName, ex);
            }
        }
    }

    private static MVStore store(H2Database database) {
        try {
            return (MVStore) STORE_FIELD.get(database);
        }
        catch (IllegalAccessException ex) {
            throw new IllegalStateException("Cannot reach the database's store", ex);
        }
    }

    /**
     * A collection that keeps each document as its BSON bytes ({@link StoredBson}) and decodes a fresh copy on every
     * read; H2's collection kept the decoded documents themselves in the store's pages.
     * <p>
     * Changed pages stay in memory until H2's next commit (up to a second): as documents, every change kept a graph of
     * hundreds of small objects alive that long, which each young collection traced and copied and which then filled
     * the old generation of a small heap (checklist-service's benchmark: a full collection every 20-40 s). As bytes, a
     * change keeps one array alive, the page cache holds several times more documents in the same memory, and a commit
     * writes the bytes as they are instead of encoding every document of each changed page. A read is also never
     * handed the stored object, so no reader can see a document half-way through a change.
     * <p>
     * Queries that pin {@code _id} are served by the {@code _id} index ({@link IdFirstPlanner}), and no running total
     * of the documents' BSON size is kept: that total (only ever reported by {@code collStats}) cost two BSON encodings
     * of the document and a metadata write on every change.
     */
    private static final class BsonCollection extends AbstractSynchronizedMongoCollection<Object> {

        private final MVMap<Object, Object> data;

        BsonCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Object> data,
                CursorRegistry cursors) {
            super(database, name, options, cursors);
            this.data = data;
        }

        @Override
        protected Object addDocumentInternal(de.bwaldvogel.mongo.bson.Document document) {
            Object key = getIdField() != null ? Utils.getSubdocumentValue(document, getIdField()) : UUID.randomUUID();
            Object previous = data.putIfAbsent(Missing.ofNullable(key), StoredBson.of(document));
            if (previous != null) {
                throw new IllegalStateException("Document with key '" + key + "' already existed in " + this);
            }
            return key;
        }

        @Override
        public int count() {
            return data.size();
        }

        @Override
        public boolean isEmpty() {
            return data.isEmpty();
        }

        @Override
        protected de.bwaldvogel.mongo.bson.Document getDocument(Object position) {
            return StoredBson.decode(data.get(position));
        }

        @Override
        protected void removeDocument(Object position) {
            if (data.remove(position) == null) {
                throw new NoSuchElementException("No document with key " + position);
            }
        }

        @Override
        protected Stream<DocumentWithPosition<Object>> streamAllDocumentsWithPosition() {
            return data.entrySet().stream()
                    .map(entry -> new DocumentWithPosition<>(StoredBson.decode(entry.getValue()), entry.getKey()));
        }

        @Override
        protected QueryResult queryDocuments(de.bwaldvogel.mongo.bson.Document query,
                de.bwaldvogel.mongo.bson.Document orderBy, int numberToSkip, int limit, int batchSize,
                de.bwaldvogel.mongo.bson.Document fieldSelector) {
            IdFirstPlanner.Plan<Object> plan = IdFirstPlanner.plan(getIndexes(), query, getIdField());
            if (plan == null) {
                return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
            }
            return matchDocuments(query, plan.index().getPositions(plan.indexQuery()), orderBy, numberToSkip, limit,
                    batchSize, fieldSelector);
        }

        @Override
        protected QueryResult matchDocuments(de.bwaldvogel.mongo.bson.Document query,
                de.bwaldvogel.mongo.bson.Document orderBy, int numberToSkip, int limit, int batchSize,
                de.bwaldvogel.mongo.bson.Document fieldSelector) {
            Stream<de.bwaldvogel.mongo.bson.Document> documents;
            if (isNaturalDescending(orderBy)) {
                documents = streamAllDocumentsWithPosition()
                        .sorted((a, b) -> ValueComparator.desc().compare(a.getPosition(), b.getPosition()))
                        .map(DocumentWithPosition::getDocument);
            }
            else {
                documents = data.values().stream().map(StoredBson::decode);
            }
            return matchDocumentsFromStream(documents, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }

        @Override
        protected void handleUpdate(Object position, de.bwaldvogel.mongo.bson.Document oldDocument,
                de.bwaldvogel.mongo.bson.Document newDocument) {
            data.put(Missing.ofNullable(position), StoredBson.of(newDocument));
        }

        @Override
        protected void updateDataSize(int sizeDelta) {
            // not tracked (see tracksDataSize)
        }

        @Override
        protected int getDataSize() {
            return 0;
        }

        @Override
        protected boolean tracksDataSize() {
            return false;
        }
    }

    /**
     * A document as its BSON bytes, the way {@link BsonCollection} keeps it in the store. A document H2 stored as a Java
     * object (by a build before {@link BsonDocumentType}) is read as such and rewritten as BSON on its next change.
     */
    record StoredBson(byte[] bytes) {

        /** Per thread, the buffer documents are encoded into before their bytes are copied out at their size. */
        private static final ThreadLocal<ByteBuf> ENCODING = ThreadLocal.withInitial(() -> Unpooled.buffer(4096));
        private static final int KEPT_BUFFER = 256 * 1024;

        static StoredBson of(de.bwaldvogel.mongo.bson.Document document) {
            ByteBuf out = ENCODING.get().clear();
            try {
                BsonEncoder.encodeDocument(document, out);
                byte[] bytes = new byte[out.readableBytes()];
                out.readBytes(bytes);
                return new StoredBson(bytes);
            }
            finally {
                if (out.capacity() > KEPT_BUFFER) {
                    ENCODING.remove();
                }
            }
        }

        static de.bwaldvogel.mongo.bson.Document decode(Object stored) {
            if (stored == null || stored instanceof de.bwaldvogel.mongo.bson.Document) {
                return (de.bwaldvogel.mongo.bson.Document) stored;
            }
            return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(((StoredBson) stored).bytes()));
        }
    }

    /**
     * Documents stored as BSON, as they came over the wire, instead of Java-serialised: H2's default writes each
     * document as a Java object stream (class descriptors included, every time), which made a commit of a few hundred
     * changed documents a chunk of several MB, its buffer too large for H2 to reuse, so each commit allocated it anew
     * in the old generation of a small heap. BSON is a fraction of the size and much cheaper to write and read.
     * <p>
     * A BSON document is written behind a tag of its own ({@value #TAG_BSON_DOCUMENT}, unused by H2); every other value,
     * and every value written by an earlier build (Java-serialised), is read and written as H2 does, so existing data
     * folders stay readable.
     */
    static final class BsonDocumentType extends ObjectDataType {

        static final int TAG_BSON_DOCUMENT = 125;

        private volatile int averageSize = 1024;

        @Override
        public void write(WriteBuffer buff, Object obj) {
            if (obj instanceof StoredBson stored) {
                buff.put((byte) TAG_BSON_DOCUMENT).put(stored.bytes());
                return;
            }
            if (!(obj instanceof de.bwaldvogel.mongo.bson.Document document)) {
                super.write(buff, obj);
                return;
            }
            ByteBuf out = Unpooled.buffer(averageSize);
            try {
                BsonEncoder.encodeDocument(document, out);
            }
            catch (RuntimeException ex) {
                // A value BSON cannot carry: keep it the way H2 would.
                super.write(buff, obj);
                return;
            }
            int length = out.readableBytes();
            averageSize = (averageSize * 15 + length) / 16;
            buff.put((byte) TAG_BSON_DOCUMENT).put(out.array(), out.arrayOffset() + out.readerIndex(), length);
        }

        /** A BSON document comes back as its bytes ({@link StoredBson}), decoded only when a collection reads it. */
        @Override
        public Object read(ByteBuffer buff) {
            if (buff.get(buff.position()) != TAG_BSON_DOCUMENT) {
                return super.read(buff);
            }
            buff.get();
            // A BSON document starts with its own length, little-endian.
            int length = Integer.reverseBytes(buff.getInt(buff.position()));
            byte[] bytes = new byte[length];
            buff.get(bytes);
            return new StoredBson(bytes);
        }

        @Override
        public int getMemory(Object obj) {
            if (obj instanceof StoredBson stored) {
                return stored.bytes().length + 24;
            }
            // A document read as an object (written by an earlier build): its usual BSON size several times over.
            return obj instanceof de.bwaldvogel.mongo.bson.Document ? averageSize * 4 : super.getMemory(obj);
        }
    }

    /**
     * Index keys compared field by field: values of the types documents hold in the order MongoDB sorts them, any
     * other value after those, by class name and then as H2 would (serialised). A total order, cheap for the keys the
     * platform uses (strings, numbers, dates, booleans).
     * <p>
     * Keys are written as BSON behind a tag of their own ({@value #TAG_BSON_KEY}, unused by H2). H2 itself wrote each
     * key as a Java object stream, and an index page read back from the file deserialised every key in it that way:
     * with random keys (event ids) and a small page cache, that was a tenth of notification-service's CPU. Keys an
     * earlier build wrote that way are still read, and a key BSON cannot carry is still written that way.
     */
    static final class KeyValueType extends ObjectDataType {

        static final int TAG_BSON_KEY = 124;
        private static final ValueComparator VALUES = ValueComparator.asc();

        @Override
        public void write(WriteBuffer buff, Object obj) {
            byte[] bytes = obj instanceof KeyValue key ? encode(key) : null;
            if (bytes == null) {
                super.write(buff, obj);
                return;
            }
            buff.put((byte) TAG_BSON_KEY).put(bytes);
        }

        @Override
        public Object read(ByteBuffer buff) {
            if (buff.get(buff.position()) != TAG_BSON_KEY) {
                return super.read(buff);
            }
            buff.get();
            int length = Integer.reverseBytes(buff.getInt(buff.position()));
            byte[] bytes = new byte[length];
            buff.get(bytes);
            de.bwaldvogel.mongo.bson.Document key = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bytes));
            List<Object> values = new java.util.ArrayList<>((List<?>) key.get("k"));
            if (key.get("m") instanceof List<?> missing) {
                for (Object index : missing) {
                    values.set(((Number) index).intValue(), Missing.getInstance());
                }
            }
            return new KeyValue(values);
        }

        /** {@code {k: [values], m: [positions of missing values]}}, or null for a value BSON cannot carry. */
        private static byte[] encode(KeyValue key) {
            List<Object> values = new java.util.ArrayList<>(key.size());
            List<Integer> missing = null;
            for (Object value : key) {
                if (value instanceof Missing) {
                    missing = missing == null ? new java.util.ArrayList<>() : missing;
                    missing.add(values.size());
                    value = null;
                }
                values.add(value);
            }
            de.bwaldvogel.mongo.bson.Document document = new de.bwaldvogel.mongo.bson.Document("k", values);
            if (missing != null) {
                document.put("m", missing);
            }
            ByteBuf out = Unpooled.buffer(64);
            try {
                BsonEncoder.encodeDocument(document, out);
            }
            catch (RuntimeException ex) {
                return null;
            }
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        }

        @Override
        public int compare(Object a, Object b) {
            if (a instanceof KeyValue left && b instanceof KeyValue right) {
                int common = Math.min(left.size(), right.size());
                for (int i = 0; i < common; i++) {
                    int order = compareValues(left.get(i), right.get(i));
                    if (order != 0) {
                        return order;
                    }
                }
                return Integer.compare(left.size(), right.size());
            }
            return super.compare(a, b);
        }

        private int compareValues(Object left, Object right) {
            if (left instanceof String l && right instanceof String r) {
                return l.compareTo(r); // what the comparator answers for two strings, without its type lookup
            }
            boolean leftKnown = comparable(left);
            boolean rightKnown = comparable(right);
            if (leftKnown && rightKnown) {
                return VALUES.compare(left, right);
            }
            if (leftKnown != rightKnown) {
                return leftKnown ? -1 : 1;
            }
            int byClass = left.getClass().getName().compareTo(right.getClass().getName());
            return byClass != 0 ? byClass : super.compare(left, right);
        }

        private static boolean comparable(Object value) {
            return value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                    || value instanceof Date || value instanceof Instant || value instanceof ObjectId
                    || value instanceof UUID || value instanceof Missing;
        }
    }
}
