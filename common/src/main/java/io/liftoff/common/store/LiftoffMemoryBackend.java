package io.liftoff.common.store;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;

/**
 * mongo-java-server's in-memory backend (tests, benchmarks) with the same query planning as {@link LiftoffH2Backend}:
 * a query that pins {@code _id} is served by the {@code _id} index ({@link IdFirstPlanner}).
 */
public class LiftoffMemoryBackend extends MemoryBackend {

    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
        return new MemoryDatabase(databaseName, getCursorRegistry()) {
            @Override
            protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
                return new IdFirstMemoryCollection(this, collectionName, options);
            }
        };
    }

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
    }
}
