package io.liftoff.checklist.release;

import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;

import io.liftoff.checklist.checklist.ItemState;
import io.liftoff.common.outbox.OutboxListener;
import org.bson.Document;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Every change of every item, one document per item ({@code <releaseId>/<itemId>}) so that reading a history is a
 * key lookup and the release document does not grow with it. The request writes the entry right after the release
 * update; as an {@link OutboxListener} the relay writes it again from the {@code item.updated} event before that event
 * leaves, so a crash between the two writes loses no history. {@code $addToSet} makes the second write a no-op.
 */
@Component
class ItemHistory implements OutboxListener {

    static final String COLLECTION = "item_history";

    private final MongoTemplate mongo;

    ItemHistory(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    void record(String releaseId, ItemChange change) {
        mongo.upsert(Query.query(Criteria.where("_id").is(releaseId + "/" + change.itemId())),
                new Update().setOnInsert("releaseId", releaseId).setOnInsert("itemId", change.itemId())
                        .addToSet("changes", entry(change)),
                COLLECTION);
    }

    List<ItemChange> of(String releaseId, String itemId) {
        Document document = mongo.findById(releaseId + "/" + itemId, Document.class, COLLECTION);
        if (document == null) {
            return List.of();
        }
        return document.getList("changes", Document.class, List.of()).stream()
                .map(ItemHistory::change)
                .sorted(Comparator.comparingLong(ItemChange::revision))
                .toList();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void beforeDelivery(String collection, Map<String, Object> envelope) {
        if (!ReleaseStore.COLLECTION.equals(collection) || !"item.updated".equals(envelope.get("type"))) {
            return;
        }
        Map<String, Object> data = (Map<String, Object>) envelope.get("data");
        record((String) envelope.get("releaseId"), new ItemChange((String) data.get("itemId"),
                ItemState.valueOf((String) data.get("fromState")), ItemState.valueOf((String) data.get("toState")),
                (String) data.get("note"), (String) data.get("evidence"), (String) envelope.get("actor"),
                Instant.parse((String) envelope.get("occurredAt")), ((Number) data.get("checklistVersion")).longValue()));
    }

    /** The stored form, built field by field so both writers produce the identical subdocument. */
    private static Document entry(ItemChange change) {
        Document entry = new Document("itemId", change.itemId())
                .append("fromState", change.fromState().name())
                .append("toState", change.toState().name())
                .append("by", change.by())
                .append("at", Date.from(change.at()))
                .append("revision", change.revision());
        if (change.note() != null) {
            entry.append("note", change.note());
        }
        if (change.evidence() != null) {
            entry.append("evidence", change.evidence());
        }
        return entry;
    }

    private static ItemChange change(Document entry) {
        return new ItemChange(entry.getString("itemId"), ItemState.valueOf(entry.getString("fromState")),
                ItemState.valueOf(entry.getString("toState")), entry.getString("note"), entry.getString("evidence"),
                entry.getString("by"), entry.getDate("at").toInstant(), ((Number) entry.get("revision")).longValue());
    }
}
