package io.liftoff.checklist.release;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.liftoff.checklist.checklist.Item;
import org.bson.Document;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * The last note, evidence, author and time of each item of a release: the change with the highest revision in each
 * item's {@link ItemHistory} summary (a projection of the {@code item.updated} events, written by the outbox relay
 * before each event leaves), read for the whole release with two {@code _id $in} queries (the summaries, then those
 * changes), and joined with the events still waiting in the release's outbox, so a reader always sees its own change.
 */
@Component
class ReleaseDetails {

    private final MongoTemplate mongo;

    ReleaseDetails(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** The details of every changed item of a release read with its outbox: projected, then still pending. */
    Map<Integer, ItemDetail> of(Release release, ReleaseLayout layout) {
        List<Item> items = layout.items();
        Map<String, Integer> indexById = new HashMap<>(items.size() * 2);
        List<String> historyIds = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            indexById.put(items.get(i).id(), i);
            historyIds.add(release.getId() + "/" + items.get(i).id());
        }
        Map<Integer, ItemDetail> details = new HashMap<>();
        Query query = Query.query(Criteria.where("_id").in(historyIds));
        query.fields().include("itemId", "revisions", "last");
        List<String> latestChanges = new ArrayList<>();
        List<String> withoutLast = new ArrayList<>();
        for (Document history : mongo.find(query, Document.class, ItemHistory.COLLECTION)) {
            List<Number> revisions = history.getList("revisions", Number.class, List.of());
            Document last = history.get("last", Document.class);
            if (!revisions.isEmpty()) {
                long latest = revisions.stream().mapToLong(Number::longValue).max().getAsLong();
                latestChanges.add(ItemHistory.changeId(release.getId(), latest));
            }
            else if (last != null) {
                // Written by a build that kept the latest change in the summary.
                put(details, indexById.get(history.getString("itemId")), ItemHistory.change(last));
            }
            else {
                withoutLast.add(history.getString("_id"));
            }
        }
        if (!latestChanges.isEmpty()) {
            for (Document stored : mongo.find(Query.query(Criteria.where("_id").in(latestChanges)), Document.class,
                    ItemHistory.CHANGES)) {
                ItemChange change = ItemHistory.change(stored.get("entry", Document.class));
                put(details, indexById.get(change.itemId()), change);
            }
        }
        if (!withoutLast.isEmpty()) {
            // Written by a build that kept the changes in the summary and no latest one: the latest of them.
            for (Document history : mongo.find(Query.query(Criteria.where("_id").in(withoutLast)), Document.class,
                    ItemHistory.COLLECTION)) {
                history.getList("changes", Document.class, List.of()).stream().map(ItemHistory::change)
                        .max(Comparator.comparingLong(ItemChange::revision))
                        .ifPresent(change -> put(details, indexById.get(history.getString("itemId")), change));
            }
        }
        for (ItemChange change : ItemHistory.pending(release)) {
            put(details, indexById.get(change.itemId()), change);
        }
        return details;
    }

    private static void put(Map<Integer, ItemDetail> details, Integer index, ItemChange change) {
        if (index == null) {
            return;
        }
        ItemDetail known = details.get(index);
        if (known == null || known.revision() <= change.revision()) {
            details.put(index, new ItemDetail(change.note(), change.evidence(), change.by(), change.at(),
                    change.revision()));
        }
    }
}
