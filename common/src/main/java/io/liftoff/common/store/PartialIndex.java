package io.liftoff.common.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.EmptyIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.QueryMatcher;
import de.bwaldvogel.mongo.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partial index in the embedded store: the positions of the documents that match its
 * {@code partialFilterExpression}, held in memory and rebuilt from the collection when the store opens.
 * <p>
 * mongo-java-server ignores every index that is not unique, so a query for "the work still to do" ({@code {routed:
 * false}}, a due retry, an outbox event not yet relayed) read the whole collection, under the collection's lock,
 * stalling every write meanwhile: with 180,000 notifications stored a safety scan took hundreds of milliseconds, and
 * checklist-service's outbox sweep decoded all of its large release documents every 30 s. A partial index answers
 * such a query with the few documents still matching the filter, as MongoDB's own partial index does; the
 * collection still matches each of them against the whole query.
 * <p>
 * The index serves a query only when the query implies the filter, field by field on its top level: a filter
 * {@code {f: v}} needs {@code f: v} in the query; a filter {@code {f: {$exists: true}}} needs a condition on
 * {@code f} that no missing field meets (a value other than null, or {@code $eq}, {@code $gt}, {@code $gte},
 * {@code $lt}, {@code $lte} with one). Other filters are kept as written for a real MongoDB and left alone here
 * ({@link #of}): the query then scans, as before.
 *
 * @param <P> the backend's position of a document
 */
final class PartialIndex<P> extends Index<P> {

    private static final Logger log = LoggerFactory.getLogger(PartialIndex.class);
    private static final Set<String> NOT_NULL_BOUNDS = Set.of("$eq", "$gt", "$gte", "$lt", "$lte");

    private final Document filter;
    private final QueryMatcher matcher = new DefaultQueryMatcher();
    /** The matching documents: {@code _id} to position, in the order they came to match. */
    private final Map<KeyValue, P> positions = new LinkedHashMap<>();

    private PartialIndex(String name, List<IndexKey> keys, Document filter) {
        super(name, keys, true);
        this.filter = filter;
    }

    /** The partial index an index description asks for, or null when it has no filter this index can serve. */
    static <P> PartialIndex<P> of(String name, List<IndexKey> keys, Document description) {
        Object filter = description == null ? null : description.get("partialFilterExpression");
        if (!(filter instanceof Document conditions) || conditions.isEmpty()) {
            return null;
        }
        for (Map.Entry<String, Object> condition : conditions.entrySet()) {
            if (condition.getKey().startsWith("$") || !(isValue(condition.getValue()) || isExists(condition.getValue()))) {
                return null;
            }
        }
        return new PartialIndex<>(name, keys, conditions);
    }

    /** The description of the index being created on this thread (set by the backends around {@code addIndex}). */
    private static final ThreadLocal<Document> CREATING = new ThreadLocal<>();

    /** Runs a database's {@code addIndex} with its description at hand for {@link #secondary}. */
    static void creating(Document description, Runnable addIndex) {
        CREATING.set(description);
        try {
            addIndex.run();
        }
        finally {
            CREATING.remove();
        }
    }

    /**
     * The secondary (non-unique) index a backend opens: a partial index when its description asks for one this class
     * serves, else mongo-java-server's stock answer, an index that serves nothing. The description is the one being
     * created now ({@link #creating}) or, when the store opens, the one kept in the database's indexes collection.
     */
    static <P> Index<P> secondary(String namespace, String name, List<IndexKey> keys, MongoCollection<P> stored) {
        Document description = CREATING.get();
        if (description == null || !name.equals(description.get("name")) || !namespace.equals(description.get("ns"))) {
            description = null;
            for (Document candidate : stored.queryAll()) {
                if (name.equals(candidate.get("name")) && namespace.equals(candidate.get("ns"))) {
                    description = candidate;
                }
            }
        }
        PartialIndex<P> partial = of(name, keys, description);
        if (partial != null) {
            return partial;
        }
        log.debug("Secondary index {} on {} serves no query in the embedded store (only partial ones do)", name,
                namespace);
        return new EmptyIndex<>(name, keys);
    }

    private static boolean isValue(Object value) {
        return !(value instanceof Document document && document.keySet().stream().anyMatch(k -> k.startsWith("$")));
    }

    private static boolean isExists(Object value) {
        return value instanceof Document document && document.size() == 1
                && Boolean.TRUE.equals(document.get("$exists"));
    }

    private boolean matches(Document document) {
        return matcher.matches(document, filter);
    }

    private static KeyValue id(Document document) {
        return normalized(document.get("_id"));
    }

    /** A value as the store compares it (numbers by value: 1, 1L and 1.0 are one key). */
    private static KeyValue normalized(Object value) {
        return new KeyValue(value).normalized();
    }

    @Override
    public boolean canHandle(Document query) {
        for (Map.Entry<String, Object> condition : filter.entrySet()) {
            Object asked = query.get(condition.getKey());
            if (asked == null) {
                return false;
            }
            boolean implied = isExists(condition.getValue()) ? excludesMissing(asked)
                    : isValue(asked) && normalized(asked).equals(normalized(condition.getValue()));
            if (!implied) {
                return false;
            }
        }
        return true;
    }

    private static boolean excludesMissing(Object asked) {
        if (isValue(asked)) {
            return true; // a value other than null (null was ruled out by the caller)
        }
        for (Map.Entry<String, Object> operator : ((Document) asked).entrySet()) {
            if (NOT_NULL_BOUNDS.contains(operator.getKey()) && operator.getValue() != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Iterable<P> getPositions(Document query) {
        return new ArrayList<>(positions.values());
    }

    @Override
    public P getPosition(Document document) {
        return positions.get(id(document));
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
        // not unique: nothing to refuse
    }

    @Override
    public void add(Document document, P position, MongoCollection<P> collection) {
        if (matches(document)) {
            positions.put(id(document), position);
        }
    }

    /** The position of a document that matched; null for any other, which the collection accepts (sparse). */
    @Override
    public P remove(Document document) {
        return positions.remove(id(document));
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
        // not unique: nothing to refuse
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, P position, MongoCollection<P> collection) {
        positions.remove(id(oldDocument));
        add(newDocument, position, collection);
    }

    @Override
    public long getCount() {
        return positions.size();
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public void drop() {
        positions.clear();
    }

    @Override
    public boolean hasSameOptions(Index<?> other) {
        return other instanceof PartialIndex<?> partial && filter.equals(partial.filter);
    }

    @Override
    public Document toIndexDescription() {
        Document description = super.toIndexDescription();
        description.remove("sparse");
        description.put("partialFilterExpression", filter);
        return description;
    }
}
