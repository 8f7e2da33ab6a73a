package io.liftoff.common.store;

import java.util.List;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Which index serves a query in the embedded store, and with which part of the query.
 * <p>
 * mongo-java-server serves a query from an index only when the query names exactly that index's keys; anything else
 * is a scan of the whole collection. MongoDB itself serves {@code {_id: x, revision: 7}} from the {@code _id} index
 * and checks the rest on the one document it finds. This planner does the same: an index whose keys are exactly the
 * query's wins, as before; otherwise a query that pins {@code _id} is served by the {@code _id} index, and the
 * collection still matches every found document against the whole query. So compare-and-set writes on one document
 * ({@code {_id, version}}, {@code {_id, lease}}, also written as {@code $and} clauses) need no compound index of their
 * own, and every write to the collection maintains fewer indexes. A {@link PartialIndex} comes last: it serves a
 * query that implies its filter, but one that also pins {@code _id} is narrower on the {@code _id} index.
 */
final class IdFirstPlanner {

    /** An index and the query to ask it for positions; the caller matches the documents against the whole query. */
    record Plan<P>(Index<P> index, Document indexQuery) {
    }

    private IdFirstPlanner() {
    }

    /** The plan for a query, or null when no index can serve it (a scan). */
    static <P> Plan<P> plan(List<Index<P>> indexes, Document query, String idField) {
        for (Index<P> index : indexes) {
            if (!(index instanceof PartialIndex) && index.canHandle(query)) {
                return new Plan<>(index, query);
            }
        }
        Document byId = idPart(query, idField);
        if (byId != null) {
            for (Index<P> index : indexes) {
                List<IndexKey> keys = index.getKeys();
                if (keys.size() == 1 && keys.get(0).getKey().equals(idField) && index.canHandle(byId)) {
                    return new Plan<>(index, byId);
                }
            }
        }
        for (Index<P> index : indexes) {
            if (index instanceof PartialIndex && index.canHandle(query)) {
                return new Plan<>(index, query);
            }
        }
        return null;
    }

    /**
     * The condition on {@code _id} a query pins: a top-level key beside others ({@code {_id: x, v: 7}}), or one clause
     * of a top-level {@code $and} (the Java driver's {@code Filters.and} renders {@code {$and: [{_id: x}, {v: 7}]}}).
     */
    private static Document idPart(Document query, String idField) {
        if (idField == null) {
            return null;
        }
        if (query.containsKey(idField)) {
            return query.size() < 2 ? null : new Document(idField, query.get(idField));
        }
        if (query.size() == 1 && query.get("$and") instanceof List<?> clauses) {
            for (Object clause : clauses) {
                if (clause instanceof Document condition && condition.containsKey(idField)) {
                    return new Document(idField, condition.get(idField));
                }
            }
        }
        return null;
    }
}
