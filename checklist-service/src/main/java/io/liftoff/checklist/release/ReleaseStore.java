package io.liftoff.checklist.release;

import java.time.Instant;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
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

    /** Applies the change if the release is still at {@code expectedRevision}; false when someone changed it first. */
    boolean apply(Release release, Release.ItemUpdated change, long expectedRevision, Instant now) {
        Query unchanged = Query.query(Criteria.where("_id").is(release.getId()).and("revision").is(expectedRevision));
        Update update = new Update()
                .set("states", release.getStates())
                .set("revision", release.getRevision())
                .set("progress", release.getProgress())
                .set("updatedAt", release.getUpdatedAt())
                .push("outbox.pending", change.event())
                .min("outbox.nextAttemptAt", now)
                .inc("lockVersion", 1);
        boolean applied = mongo.updateFirst(unchanged, update, Release.class, COLLECTION).getModifiedCount() == 1;
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

    /** Drops this replica's copy (the release was changed by another path, e.g. a transition). */
    void forget(String releaseId) {
        recent.invalidate(releaseId);
    }
}
