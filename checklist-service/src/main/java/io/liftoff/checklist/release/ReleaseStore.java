package io.liftoff.checklist.release;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.liftoff.common.outbox.OutboxEvent;
import org.bson.Document;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * The hot write path of a release: an item change is one atomic, targeted update of the release document (the item
 * at its position, revision, progress, the event into the outbox), guarded by the revision the change was computed
 * from, instead of rewriting the whole document.
 * <p>
 * The release as this replica last wrote it is kept in a small LRU cache, so a client that changes items one after
 * the other (each with the ETag of its last answer) costs one write per change and no read. The cache can be stale
 * (another replica, a transition, the relay): the revision guard of {@link #apply} then matches nothing, and the
 * caller reads the release from the store again.
 */
@Component
class ReleaseStore {

    static final String COLLECTION = "release";

    private static final int CACHE_SIZE = 512;

    private final MongoTemplate mongo;
    private final Cache<String, Release> recent = Caffeine.newBuilder().maximumSize(CACHE_SIZE).build();

    ReleaseStore(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /**
     * The release to compute an item change on: this replica's last written copy when the caller's ETag names its
     * revision, otherwise the stored release without its transitions and pending events.
     */
    Optional<Release> findForItemChange(String releaseId, String ifMatch, boolean fresh) {
        if (!fresh) {
            Release cached = recent.getIfPresent(releaseId);
            if (cached != null && ETags.matches(ifMatch, cached.getRevision())) {
                return Optional.of(cached.copyForItemChange());
            }
        }
        Query query = Query.query(Criteria.where("_id").is(releaseId));
        query.fields().exclude("transitions", "outbox.pending");
        return Optional.ofNullable(mongo.findOne(query, Release.class, COLLECTION));
    }

    /**
     * Applies the change if the release is still at {@code expectedRevision}; false when someone changed it first.
     * The update is written as the documents Spring Data would map it to, without the mapping: the mapper resolved
     * every dotted path against the entity's metadata on each call, and this is the hottest write of the service.
     */
    boolean apply(Release release, Release.ItemUpdated change, long expectedRevision, Instant now) {
        Document unchanged = new Document("_id", release.getId()).append("revision", expectedRevision);
        ProgressSummary progress = release.getProgress();
        Document update = new Document("$set", new Document("states", release.getStates())
                .append("revision", release.getRevision())
                .append("progress", new Document("done", progress.done()).append("applicable", progress.applicable())
                        .append("blocked", progress.blocked()))
                .append("updatedAt", Date.from(release.getUpdatedAt())))
                .append("$push", new Document("outbox.pending", event(change.event())))
                .append("$min", new Document("outbox.nextAttemptAt", Date.from(now)))
                .append("$inc", new Document("lockVersion", 1L));
        boolean applied = mongo.execute(COLLECTION,
                collection -> collection.updateOne(unchanged, update).getModifiedCount()) == 1;
        if (applied) {
            Release snapshot = release.copyForItemChange();
            recent.asMap().merge(release.getId(), snapshot,
                    (known, fresh) -> known.getRevision() < fresh.getRevision() ? fresh : known);
        }
        else {
            recent.invalidate(release.getId());
        }
        return applied;
    }

    private static Document event(OutboxEvent event) {
        return new Document("eventId", event.eventId()).append("type", event.type())
                .append("releaseId", event.releaseId()).append("product", event.product())
                .append("occurredAt", Date.from(event.occurredAt())).append("actor", event.actor())
                .append("data", new Document(event.data()));
    }

    /** Drops this replica's copy (the release was changed by another path, e.g. a transition). */
    void forget(String releaseId) {
        recent.invalidate(releaseId);
    }
}
