package io.liftoff.common.store;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryParameters;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * mongo-java-server's in-memory backend (tests, benchmarks) with the same query planning as {@link LiftoffH2Backend}:
 * a query that pins {@code _id} is served by the {@code _id} index ({@link IdFirstPlanner}), and partial indexes
 * serve the queries that imply their filter ({@link PartialIndex}).
 */
public class LiftoffMemoryBackend extends MemoryBackend {

    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
        return new MemoryDatabase(databaseName, getCursorRegistry()) {
            @Override
            protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
                return new IdFirstMemoryCollection(this, collectionName, options);
            }

            @Override
            protected void addIndex(Document description) {
                PartialIndex.creating(description, () -> super.addIndex(description));
            }

            @Override
            protected Index<Integer> openOrCreateSecondaryIndex(String collectionName, String indexName,
                    List<IndexKey> keys, boolean sparse) {
                return PartialIndex.secondary(getFullCollectionNamespace(collectionName), indexName, keys,
                        getOrCreateIndexesCollection());
            }
        };
    }

    /**
     * mongo-java-server's memory collection updates its documents in place and answers reads with those same
     * objects, which are encoded for the client after the collection's lock is released. A read racing an update
     * could then send a torn document (the old {@code bits} with the new {@code v}), and a compare-and-set built on
     * it overwrote the other writer's change (signoff-service's concurrent posting writers lost bits). Reads here
     * answer copies taken under the lock; updates keep working on the stored objects. The H2 backend stores BSON and
     * decodes a fresh copy for every read, so it never had this race.
     */
    private final class IdFirstMemoryCollection extends MemoryCollection {

        IdFirstMemoryCollection(MemoryDatabase database, String name, CollectionOptions options) {
            super(database, name, options, getCursorRegistry());
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                int batchSize, Document fieldSelector) {
            IdFirstPlanner.Plan<Integer> plan = IdFirstPlanner.plan(getIndexes(), query, getIdField());
            if (plan == null) {
                return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
            }
            return matchDocuments(query, plan.index().getPositions(plan.indexQuery()), orderBy, numberToSkip, limit,
                    batchSize, fieldSelector);
        }

        /**
         * True while findAndModify or a delete runs: they read through {@link #handleQuery} too, and must get the
         * stored documents, which they change or remove. Guarded by this collection's lock, as every caller is.
         */
        private boolean changing;

        @Override
        public synchronized QueryResult handleQuery(QueryParameters queryParameters) {
            QueryResult result = super.handleQuery(queryParameters);
            if (changing) {
                return result;
            }
            List<Document> copies = new ArrayList<>();
            result.forEach(document -> copies.add(document.cloneDeeply()));
            return new QueryResult(copies, result.getCursorId());
        }

        @Override
        protected Cursor createCursor(List<Document> remainingDocuments) {
            return super.createCursor(remainingDocuments.stream().map(Document::cloneDeeply).toList());
        }

        @Override
        public synchronized int deleteDocuments(Document selector, int limit, Oplog oplog) {
            changing = true;
            try {
                return super.deleteDocuments(selector, limit, oplog);
            }
            finally {
                changing = false;
            }
        }

        @Override
        public synchronized Document findAndModify(Document query) {
            Document result;
            changing = true;
            try {
                result = super.findAndModify(query);
            }
            finally {
                changing = false;
            }
            if (result != null && result.get("value") instanceof Document value) {
                result.put("value", value.cloneDeeply());
            }
            return result;
        }
    }
}
