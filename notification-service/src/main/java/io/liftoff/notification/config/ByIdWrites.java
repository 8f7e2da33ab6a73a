package io.liftoff.notification.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import org.bson.Document;

import org.springframework.data.core.TypeInformation;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.convert.MongoConverter;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * Updates of documents by id in one round trip, for the workers' hot path (a delivery's attempt, a notification
 * marked routed).
 * <p>
 * Spring Data's update mapper resolves every key of every update against the entity's metadata again, and that took
 * about 15 % of a delivery worker's CPU in the delivery benchmark (JFR). The updates written here name top-level
 * properties, which are stored under their own names, so only their values need converting; that is what this does,
 * with the same converter. An update with anything else in it (a dotted path, the id, an operator's own document) goes
 * through Spring Data's bulk operations as before.
 */
final class ByIdWrites {

    record Write(String id, Update update) {
    }

    private final MongoTemplate mongo;
    private final MongoConverter converter;

    ByIdWrites(MongoTemplate mongo) {
        this.mongo = mongo;
        this.converter = mongo.getConverter();
    }

    /**
     * Writes every update to the document with its id (and, when {@code ownerField} is set, only while that field
     * still holds {@code owner}) in one unordered bulk write.
     *
     * @return how many documents matched
     */
    long write(Class<?> type, List<Write> writes, String ownerField, String owner) {
        List<WriteModel<Document>> models = new ArrayList<>(writes.size());
        for (Write write : writes) {
            Document update = plain(write.update());
            if (update == null) {
                return mapped(type, writes, ownerField, owner);
            }
            Document filter = new Document("_id", write.id());
            if (ownerField != null) {
                filter.append(ownerField, owner);
            }
            models.add(new UpdateOneModel<>(filter, update));
        }
        return mongo.execute(type, collection -> collection
                .bulkWrite(models, new BulkWriteOptions().ordered(false)).getMatchedCount());
    }

    /** The update with its values converted for the store, or null when its keys need Spring Data's mapping. */
    Document plain(Update update) {
        Document mapped = new Document();
        for (Map.Entry<String, Object> operation : update.getUpdateObject().entrySet()) {
            if (!operation.getKey().startsWith("$") || !(operation.getValue() instanceof Document fields)) {
                return null;
            }
            Document values = new Document();
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                String key = field.getKey();
                Object value = field.getValue();
                if (key.contains(".") || key.startsWith("$") || key.equals("id") || key.equals("_id")
                        || value instanceof Document || value instanceof Update.Modifiers) {
                    return null;
                }
                values.put(key, value == null ? null
                        : converter.convertToMongoType(value, TypeInformation.of(value.getClass())));
            }
            mapped.put(operation.getKey(), values);
        }
        return mapped;
    }

    private long mapped(Class<?> type, List<Write> writes, String ownerField, String owner) {
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, type);
        for (Write write : writes) {
            Criteria byId = Criteria.where("_id").is(write.id());
            bulk.updateOne(Query.query(ownerField == null ? byId : byId.and(ownerField).is(owner)), write.update());
        }
        return bulk.execute().getMatchedCount();
    }
}
