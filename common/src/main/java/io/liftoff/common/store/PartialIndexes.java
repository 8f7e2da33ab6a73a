package io.liftoff.common.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Creates a partial index exactly as written, in MongoDB and in the embedded store ({@link PartialIndex}) alike: through
 * the driver, so that the filter is sent as given and not mapped through an entity's property paths. An index of the
 * same name with other options is dropped first, so the one asked for is always the one in place: earlier builds kept
 * a plain index named {@code outbox_due} in every service, and an index of one name with two definitions made the
 * store refuse the next start ({@code IndexKeySpecsConflict}, found by restarting the platform on its data folder).
 */
public final class PartialIndexes {

    private PartialIndexes() {
    }

    /** Ensures the index {@code name} on {@code keys} holding the documents that match {@code filter}. */
    public static void ensure(MongoTemplate mongo, String collection, String name, Bson keys, Bson filter) {
        MongoCollection<Document> documents = mongo.getCollection(collection);
        BsonDocument wanted = filter.toBsonDocument();
        for (Document index : documents.listIndexes()) {
            if (name.equals(index.getString("name"))) {
                Object current = index.get("partialFilterExpression");
                if (current instanceof Document written && written.toBsonDocument().equals(wanted)) {
                    return;
                }
                documents.dropIndex(name);
            }
        }
        documents.createIndex(keys, new IndexOptions().name(name).partialFilterExpression(filter));
    }
}
