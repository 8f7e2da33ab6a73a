package io.liftoff.monitoring.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.bson.Document;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * Leases in the store, so that with several replicas one thing (a check, a window, a release's checklist updates) is
 * worked on by one replica at a time. A lease is taken with one {@code findAndModify}: it matches when the lease is
 * free, expired or already ours, and otherwise the upsert collides with the existing {@code _id} and fails.
 */
public class Leases {

    static final String COLLECTION = "leases";

    private final MongoTemplate mongo;
    private final Clock clock;
    private final Duration duration;
    private final String owner;

    public Leases(MongoTemplate mongo, Clock clock, Duration duration) {
        this(mongo, clock, duration, UUID.randomUUID().toString());
    }

    public Leases(MongoTemplate mongo, Clock clock, Duration duration, String owner) {
        this.mongo = mongo;
        this.clock = clock;
        this.duration = duration;
        this.owner = owner;
    }

    public boolean acquire(String key) {
        Instant now = clock.instant();
        Query free = Query.query(Criteria.where("_id").is(key).orOperator(Criteria.where("until").lt(now),
                Criteria.where("owner").is(owner)));
        Update take = new Update().set("owner", owner).set("until", now.plus(duration));
        try {
            Document lease = mongo.findAndModify(free, take, FindAndModifyOptions.options().upsert(true).returnNew(true),
                    Document.class, COLLECTION);
            return lease != null && owner.equals(lease.getString("owner"));
        }
        catch (DuplicateKeyException ex) {
            return false;
        }
    }

    public void release(String key) {
        mongo.remove(Query.query(Criteria.where("_id").is(key).and("owner").is(owner)), COLLECTION);
    }

    public String owner() {
        return owner;
    }
}
