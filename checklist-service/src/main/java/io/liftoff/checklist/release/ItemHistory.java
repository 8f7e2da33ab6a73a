package io.liftoff.checklist.release;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import io.liftoff.checklist.checklist.ItemState;
import io.liftoff.common.outbox.OutboxListener;
import org.bson.Document;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Every change of every item, as a projection of the {@code item.updated} events. Each change is one small document of
 * its own in {@value #CHANGES} ({@code <releaseId>/<revision>}, see {@link #changeId}), so recording a change costs the
 * same however often the item changed before; each item has one summary document here ({@code <releaseId>/<itemId>})
 * with the revisions of its changes. Reading a history is two key lookups; {@link ReleaseDetails} reads the latest
 * change of every item of a release (note, evidence, author, time) with two queries.
 * <p>
 * As an {@link OutboxListener} the relay writes each entry before its event leaves (the change itself is one write of
 * the release document, event included, so no change can lose its history), and a history is read together with the
 * events still waiting in the release's outbox, so a reader always sees its own change. An event relayed twice is
 * recorded once: its change document already exists, and its revision is added to the summary as to a set.
 * <p>
 * Earlier builds kept all of an item's changes inside its summary ({@code changes}, and the latest as {@code last}),
 * so the document and the cost of each write grew with every change; such entries are still read.
 */
@Component
class ItemHistory implements OutboxListener {

    static final String COLLECTION = "item_history";
    static final String CHANGES = "item_change";

    private static final int DUPLICATE_KEY = 11000;

    private final MongoTemplate mongo;

    ItemHistory(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** The history of an item of a release read with its outbox: the recorded changes, then those still pending. */
    List<ItemChange> of(Release release, String itemId) {
        Map<Long, ItemChange> changes = new TreeMap<>();
        String historyId = release.getId() + "/" + itemId;
        Document summary = mongo.findById(historyId, Document.class, COLLECTION);
        if (summary != null) {
            summary.getList("changes", Document.class, List.of())
                    .forEach(entry -> changes.put(((Number) entry.get("revision")).longValue(), change(entry)));
            List<String> changeIds = summary.getList("revisions", Number.class, List.of()).stream()
                    .map(revision -> changeId(release.getId(), revision.longValue())).toList();
            if (!changeIds.isEmpty()) {
                mongo.find(Query.query(Criteria.where("_id").in(changeIds)), Document.class, CHANGES).stream()
                        .map(stored -> change(stored.get("entry", Document.class)))
                        .forEach(change -> changes.put(change.revision(), change));
            }
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
     * Two round trips per batch, whatever the items' past: the new change documents (one insert; those a previous
     * attempt already wrote are skipped), then one write per changed item adding the new revisions to its summary.
     * Nothing here depends on the order the events arrive in: an event relayed again after later ones adds nothing.
     */
    @Override
    public void beforeDelivery(String collection, List<Map<String, Object>> envelopes) {
        Map<String, List<Long>> revisionsByHistory = new LinkedHashMap<>();
        List<Document> changeDocuments = new ArrayList<>();
        for (Map<String, Object> envelope : envelopes) {
            ItemChange change = change(collection, envelope);
            if (change != null) {
                String historyId = envelope.get("releaseId") + "/" + change.itemId();
                revisionsByHistory.computeIfAbsent(historyId, id -> new ArrayList<>()).add(change.revision());
                changeDocuments.add(new Document("_id", changeId((String) envelope.get("releaseId"), change.revision()))
                        .append("releaseId", envelope.get("releaseId")).append("entry", entry(change)));
            }
        }
        if (revisionsByHistory.isEmpty()) {
            return;
        }
        insertSkippingExisting(changeDocuments);
        // Written as BSON through the driver: the template's mapping of queries and updates cost more than the writes.
        List<WriteModel<Document>> writes = new ArrayList<>(revisionsByHistory.size());
        revisionsByHistory.forEach((id, revisions) -> writes.add(new UpdateOneModel<>(new Document("_id", id),
                new Document("$setOnInsert", new Document("releaseId", id.substring(0, id.indexOf('/')))
                        .append("itemId", id.substring(id.indexOf('/') + 1)))
                        .append("$addToSet", new Document("revisions", new Document("$each", revisions))),
                new UpdateOptions().upsert(true))));
        mongo.getCollection(COLLECTION).bulkWrite(writes, new BulkWriteOptions().ordered(true));
    }

    /**
     * The key of a change: its release and its revision (each change of a release has its own), zero-padded so that
     * a release's changes follow one another in the store's key order and new ones are appended to the same pages.
     */
    static String changeId(String releaseId, long revision) {
        String digits = Long.toString(revision);
        return releaseId + "/" + "0".repeat(Math.max(0, 10 - digits.length())) + digits;
    }

    /**
     * Inserts the change documents; one that exists already (the same event relayed again) is left as it is. Written
     * through the driver's collection, whose bulk error lists every failed document (the template would translate it
     * into one exception).
     */
    private void insertSkippingExisting(List<Document> changeDocuments) {
        try {
            mongo.getCollection(CHANGES).insertMany(changeDocuments, new InsertManyOptions().ordered(false));
        }
        catch (MongoBulkWriteException ex) {
            if (ex.getWriteErrors().stream().anyMatch(error -> error.getCode() != DUPLICATE_KEY)) {
                throw ex;
            }
        }
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
