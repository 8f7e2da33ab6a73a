package io.liftoff.common.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * Delivers the events waiting in the {@code outbox} of aggregate documents, at least once and in order per document.
 * <p>
 * A document is claimed with a single {@code findAndModify} that sets a lease; its events are delivered one by one and
 * each delivered event is pulled out of the document, guarded by the lease so a relay that lost its claim changes
 * nothing. A failed delivery releases the claim and schedules the next attempt with exponential backoff and jitter. A
 * claim whose lease expired (a relay that died mid-way) is taken over. Every relay write bumps the aggregate's version
 * field, so a writer holding an older copy re-reads instead of overwriting the outbox.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final MongoTemplate mongo;
    private final EventPublisher publisher;
    private final OutboxProperties properties;
    private final Clock clock;
    private final String owner = UUID.randomUUID().toString();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private volatile boolean woken;
    private volatile Thread worker;

    public OutboxRelay(MongoTemplate mongo, EventPublisher publisher, OutboxProperties properties, Clock clock) {
        this.mongo = mongo;
        this.publisher = publisher;
        this.properties = properties;
        this.clock = clock;
    }

    /** Asks the relay to look for due events now instead of at its next poll (called after a write). */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            wakeUp.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    /** One pass over every collection: claims and delivers due documents until none is left; returns events sent. */
    public int relayOnce() {
        int delivered = 0;
        for (String collection : properties.collections()) {
            Document claimed;
            while ((claimed = claim(collection)) != null) {
                delivered += deliver(collection, claimed);
            }
        }
        return delivered;
    }

    private Document claim(String collection) {
        Instant now = clock.instant();
        Query due = Query.query(Criteria.where("outbox.nextAttemptAt").lte(now)
                .orOperator(Criteria.where("outbox.leaseUntil").is(null),
                        Criteria.where("outbox.leaseUntil").lt(now)));
        Update lease = new Update().set("outbox.leaseUntil", now.plus(properties.lease()))
                .set("outbox.leaseOwner", owner)
                .inc(properties.versionField(), 1);
        return mongo.findAndModify(due, lease, FindAndModifyOptions.options().returnNew(true), Document.class,
                collection);
    }

    @SuppressWarnings("unchecked")
    private int deliver(String collection, Document document) {
        Object id = document.get("_id");
        Document outbox = document.get("outbox", Document.class);
        List<Document> pending = outbox.getList("pending", Document.class, List.of());
        int delivered = 0;
        for (Document event : pending) {
            Map<String, Object> envelope = envelope(event);
            try {
                publisher.publish(envelope);
            }
            catch (EventPublisher.EventDeliveryException ex) {
                int attempts = outbox.getInteger("attempts", 0) + 1;
                Duration backoff = backoff(attempts);
                log.warn("{} (attempt {}), next attempt in {}: {}", ex.getMessage(), attempts, backoff,
                        rootMessage(ex));
                mongo.updateFirst(claimedBy(id), new Update().unset("outbox.leaseUntil").unset("outbox.leaseOwner")
                        .set("outbox.attempts", attempts).set("outbox.nextAttemptAt", clock.instant().plus(backoff))
                        .inc(properties.versionField(), 1), collection);
                return delivered;
            }
            var result = mongo.updateFirst(claimedBy(id),
                    new Update().pull("outbox.pending", new Document("eventId", event.get("eventId")))
                            .inc(properties.versionField(), 1),
                    collection);
            if (result.getMatchedCount() == 0) {
                log.warn("Lost the claim on {}/{} while relaying; another relay takes over", collection, id);
                return delivered;
            }
            delivered++;
        }
        mongo.updateFirst(claimedBy(id), new Update().unset("outbox.leaseUntil").unset("outbox.leaseOwner")
                .set("outbox.attempts", 0).inc(properties.versionField(), 1), collection);
        // Events added by a writer while we were delivering stay due; an empty outbox is no longer polled.
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("outbox.pending").size(0)),
                new Update().unset("outbox.nextAttemptAt"), collection);
        return delivered;
    }

    private Query claimedBy(Object id) {
        return Query.query(Criteria.where("_id").is(id).and("outbox.leaseOwner").is(owner));
    }

    Duration backoff(int attempts) {
        long base = properties.initialBackoff().toMillis();
        long max = properties.maxBackoff().toMillis();
        long exponential = attempts >= 31 ? max : Math.min(max, base * (1L << Math.max(0, attempts - 1)));
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis(Math.min(max, Math.round(exponential * jitter)));
    }

    private static Map<String, Object> envelope(Document event) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        for (String field : List.of("eventId", "type", "releaseId", "product", "occurredAt", "actor", "data")) {
            envelope.put(field, plain(event.get(field)));
        }
        return envelope;
    }

    /** BSON values as JSON-friendly values: dates as ISO-8601 instants, nested documents as maps. */
    @SuppressWarnings("unchecked")
    private static Object plain(Object value) {
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> result = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> {
                if (!"_class".equals(k)) {
                    result.put(k, plain(v));
                }
            });
            return result;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(OutboxRelay::plain).toList();
        }
        return value;
    }

    private static String rootMessage(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private void runLoop() {
        while (worker == Thread.currentThread()) {
            try {
                relayOnce();
            }
            catch (RuntimeException ex) {
                log.warn("Outbox relay pass failed: {}", rootMessage(ex));
            }
            lock.lock();
            try {
                if (!woken && worker == Thread.currentThread()) {
                    wakeUp.awaitNanos(properties.pollInterval().toNanos());
                }
                woken = false;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void start() {
        if (worker == null) {
            Thread thread = new Thread(this::runLoop, "outbox-relay");
            thread.setDaemon(true);
            worker = thread;
            thread.start();
        }
    }

    @Override
    public void stop() {
        Thread thread = worker;
        worker = null;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }
}
