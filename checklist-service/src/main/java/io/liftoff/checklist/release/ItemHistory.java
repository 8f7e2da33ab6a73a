package io.liftoff.checklist.release;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.liftoff.checklist.checklist.ItemState;
import io.liftoff.common.outbox.OutboxListener;
import org.bson.Document;

import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Every change of every item, one document per item ({@code <releaseId>/<itemId>}) so that reading a history is a
 * key lookup and the release document does not grow with it. The document also keeps the item's latest change
 * ({@code last}: note, evidence, author, time), which {@link ReleaseDetails} reads for a whole release at once. It is a projection of the {@code item.updated} events:
 * as an {@link OutboxListener} the relay writes each entry before its event leaves (the change itself is one write of
 * the release document, event included, so no change can lose its history), and a history is read together with the
 * events still waiting in the release's outbox, so a reader always sees its own change. Entries are added with
 * {@code $addToSet}, so an event relayed twice is recorded once.
 */
@Component
class ItemHistory implements OutboxListener {

    static final String COLLECTION = "item_history";

    private final MongoTemplate mongo;

    ItemHistory(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** The history of an item of a release read with its outbox: the recorded changes, then those still pending. */
    List<ItemChange> of(Release release, String itemId) {
        Map<Long, ItemChange> changes = new TreeMap<>();
        Document document = mongo.findById(release.getId() + "/" + itemId, Document.class, COLLECTION);
        if (document != null) {
            document.getList("changes", Document.class, List.of())
                    .forEach(entry -> changes.put(((Number) entry.get("revision")).longValue(), change(entry)));
        }
        pending(release).stream().filter(change -> change.itemId().equals(itemId))
                .forEach(change -> changes.putIfAbsent(change.revision(), change));
        return List.copyOf(changes.values());
    }

    @Override
    public void beforeDelivery(String collection, Map<String, Object> envelope) {
        beforeDelivery(collection, List.of(envelope));
    }

    /**
     * One small write per changed item of the batch, however often it changed: its new entries, and the latest of
     * them as {@code last}. Events come in order, so the last entry of the batch is the item's latest change.
     */
    @Override
    public void beforeDelivery(String collection, List<Map<String, Object>> envelopes) {
        Map<String, List<Document>> entriesByHistory = new LinkedHashMap<>();
        for (Map<String, Object> envelope : envelopes) {
            ItemChange change = change(collection, envelope);
            if (change != null) {
                entriesByHistory.computeIfAbsent(envelope.get("releaseId") + "/" + change.itemId(),
                        id -> new ArrayList<>()).add(entry(change));
            }
        }
        if (entriesByHistory.isEmpty()) {
            return;
        }
        BulkOperations writes = mongo.bulkOps(BulkOperations.BulkMode.ORDERED, COLLECTION);
        entriesByHistory.forEach((id, entries) -> {
            String releaseId = id.substring(0, id.indexOf('/'));
            String itemId = id.substring(id.indexOf('/') + 1);
            writes.upsert(Query.query(Criteria.where("_id").is(id)),
                    new Update().setOnInsert("releaseId", releaseId).setOnInsert("itemId", itemId)
                            .addToSet("changes").each(entries.toArray()).set("last", entries.get(entries.size() - 1)));
        });
        writes.execute();
    }

    /** The item change an event envelope of the relay stands for, or null when it is no {@code item.updated}. */
    @SuppressWarnings("unchecked")
    static ItemChange change(String collection, Map<String, Object> envelope) {
        if (!ReleaseStore.COLLECTION.equals(collection) || !"item.updated".equals(envelope.get("type"))) {
            return null;
        }
        Map<String, Object> data = (Map<String, Object>) envelope.get("data");
        return new ItemChange((String) data.get("itemId"), ItemState.valueOf((String) data.get("fromState")),
                ItemState.valueOf((String) data.get("toState")), (String) data.get("note"),
                (String) data.get("evidence"), (String) envelope.get("actor"),
                Instant.parse((String) envelope.get("occurredAt")), ((Number) data.get("checklistVersion")).longValue());
    }

    /** The item changes still waiting in a release's outbox (read with it), oldest first. */
    static List<ItemChange> pending(Release release) {
        if (release.getOutbox() == null) {
            return List.of();
        }
        return release.getOutbox().getPending().stream()
                .filter(event -> "item.updated".equals(event.type()))
                .map(event -> new ItemChange((String) event.data().get("itemId"),
                        ItemState.valueOf((String) event.data().get("fromState")),
                        ItemState.valueOf((String) event.data().get("toState")), (String) event.data().get("note"),
                        (String) event.data().get("evidence"), event.actor(), event.occurredAt(),
                        ((Number) event.data().get("checklistVersion")).longValue()))
                .toList();
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

    static ItemChange change(Document entry) {
        return new ItemChange(entry.getString("itemId"), ItemState.valueOf(entry.getString("fromState")),
                ItemState.valueOf(entry.getString("toState")), entry.getString("note"), entry.getString("evidence"),
                entry.getString("by"), entry.getDate("at").toInstant(), ((Number) entry.get("revision")).longValue());
    }
}
