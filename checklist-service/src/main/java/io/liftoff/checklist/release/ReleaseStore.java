package io.liftoff.checklist.release;

import java.time.Instant;
import java.util.Optional;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The hot write path of a release: an item change is one atomic, targeted update of the release document (the item
 * at its position, revision, progress, the event into the outbox), guarded by the revision the change was computed
 * from, instead of rewriting the whole document.
 */
@Component
class ReleaseStore {

    static final String COLLECTION = "release";

    private final MongoTemplate mongo;

    ReleaseStore(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** The release aggregate without its transitions and pending events: enough to validate an item change. */
    Optional<Release> findForItemChange(String releaseId) {
        Query query = Query.query(Criteria.where("_id").is(releaseId));
        query.fields().exclude("transitions", "outbox.pending");
        return Optional.ofNullable(mongo.findOne(query, Release.class, COLLECTION));
    }

    /** Applies the change if the release is still at {@code expectedRevision}; false when someone changed it first. */
    boolean apply(Release release, Release.ItemUpdated change, long expectedRevision, Instant now) {
        Query unchanged = Query.query(Criteria.where("_id").is(release.getId()).and("revision").is(expectedRevision));
        Update update = new Update()
                .set("states." + change.index(), change.status())
                .set("revision", release.getRevision())
                .set("progress", release.getProgress())
                .set("updatedAt", release.getUpdatedAt())
                .push("outbox.pending", change.event())
                .min("outbox.nextAttemptAt", now)
                .inc("lockVersion", 1);
        return mongo.updateFirst(unchanged, update, Release.class, COLLECTION).getModifiedCount() == 1;
    }
}
