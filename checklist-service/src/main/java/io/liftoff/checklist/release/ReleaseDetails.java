package io.liftoff.checklist.release;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.liftoff.checklist.checklist.Item;
import io.liftoff.common.outbox.OutboxListener;
import org.bson.Document;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The last note, evidence, author and time of each item of a release, one document per release
 * ({@code release_detail}, keyed by item position). It is a projection of the {@code item.updated} events, written by
 * the outbox relay before each event leaves (so the item change itself stays one small write), and read together
 * with the events still waiting in the release's outbox, so a reader always sees its own change.
 */
@Component
class ReleaseDetails implements OutboxListener {

    static final String COLLECTION = "release_detail";

    private final MongoTemplate mongo;
    private final ReleaseLayouts layouts;

    ReleaseDetails(MongoTemplate mongo, ReleaseLayouts layouts) {
        this.mongo = mongo;
        this.layouts = layouts;
    }

    /** The details of every changed item of a release read with its outbox: projected, then still pending. */
    Map<Integer, ItemDetail> of(Release release, ReleaseLayout layout) {
        Map<Integer, ItemDetail> details = new HashMap<>();
        Document stored = mongo.findById(release.getId(), Document.class, COLLECTION);
        Document items = stored == null ? null : stored.get("items", Document.class);
        if (items != null) {
            items.forEach((index, value) -> details.put(Integer.valueOf(index), detail((Document) value)));
        }
        for (ItemChange change : ItemHistory.pending(release)) {
            int index = indexOf(layout, change.itemId());
            ItemDetail known = details.get(index);
            if (index >= 0 && (known == null || known.revision() <= change.revision())) {
                details.put(index, new ItemDetail(change.note(), change.evidence(), change.by(), change.at(),
                        change.revision()));
            }
        }
        return details;
    }

    @Override
    public void beforeDelivery(String collection, Map<String, Object> envelope) {
        beforeDelivery(collection, List.of(envelope));
    }

    /** One write per release of the batch; events come in order, so the last change of an item wins. */
    @Override
    public void beforeDelivery(String collection, List<Map<String, Object>> envelopes) {
        Map<String, Update> updates = new LinkedHashMap<>();
        for (Map<String, Object> envelope : envelopes) {
            ItemChange change = ItemHistory.change(collection, envelope);
            if (change == null) {
                continue;
            }
            String releaseId = (String) envelope.get("releaseId");
            int index = indexOf(layouts.get(releaseId), change.itemId());
            if (index < 0) {
                continue;
            }
            Document detail = new Document("revision", change.revision()).append("by", change.by())
                    .append("at", Date.from(change.at()));
            if (change.note() != null) {
                detail.append("note", change.note());
            }
            if (change.evidence() != null) {
                detail.append("evidence", change.evidence());
            }
            updates.computeIfAbsent(releaseId, id -> new Update()).set("items." + index, detail);
        }
        updates.forEach((releaseId, update) -> mongo.upsert(Query.query(Criteria.where("_id").is(releaseId)),
                update, COLLECTION));
    }

    private static int indexOf(ReleaseLayout layout, String itemId) {
        List<Item> items = layout.items();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).id().equals(itemId)) {
                return i;
            }
        }
        return -1;
    }

    private static ItemDetail detail(Document stored) {
        Date at = stored.getDate("at");
        return new ItemDetail(stored.getString("note"), stored.getString("evidence"), stored.getString("by"),
                at == null ? null : at.toInstant(), ((Number) stored.get("revision")).longValue());
    }
}
