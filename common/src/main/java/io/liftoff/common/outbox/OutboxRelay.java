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
 * Finding work: a service that saved events calls {@link #wake(String, Object)} with the document's id, and the relay
 * claims exactly that document (an {@code _id} lookup). Failed deliveries are retried from an in-memory schedule. A
 * full sweep of the collections (a query on {@code outbox.nextAttemptAt}) runs at start and every
 * {@code sweep-interval}: it recovers what a crashed replica or a lost hint left behind. The sweep is the only query
 * that scans, which matters on the embedded store, which ignores secondary indexes.
 * <p>
 * A document is claimed with a single {@code findAndModify} that sets a lease; its events are delivered one by one and
 * each delivered event is pulled out of the document, guarded by the lease so a relay that lost its claim changes
 * nothing. A failed delivery releases the claim and schedules the next attempt with exponential backoff and jitter. A
 * claim whose lease expired (a relay that died mid-way) is taken over. Every relay write bumps the aggregate's version
 * field, so a writer holding an older copy re-reads instead of overwriting the outbox.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    /** The lease of a document nobody holds: concrete values, so lease queries always match the lease index. */
    static final Instant FREE_UNTIL = Instant.EPOCH;
    static final String NO_OWNER = "";

    private final MongoTemplate mongo;
    private final EventPublisher publisher;
    private final List<OutboxListener> listeners;
    private io.micrometer.core.instrument.Counter deliveredCounter;
    private io.micrometer.core.instrument.Counter failedCounter;
    private final OutboxProperties properties;
    private final Clock clock;
    private final String owner = UUID.randomUUID().toString();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private final java.util.concurrent.ConcurrentLinkedQueue<Hint> hints = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.DelayQueue<Retry> retries = new java.util.concurrent.DelayQueue<>();
    private volatile boolean woken;
    private volatile Thread worker;
    private volatile long nextSweepNanos;

    private record Hint(String collection, Object id) {
    }

    private record Retry(Hint hint, long dueNanos) implements java.util.concurrent.Delayed {

        @Override
        public long getDelay(java.util.concurrent.TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(java.util.concurrent.Delayed other) {
            return Long.compare(dueNanos, ((Retry) other).dueNanos);
        }
    }

    public OutboxRelay(MongoTemplate mongo, EventPublisher publisher, OutboxProperties properties, Clock clock) {
        this(mongo, publisher, List.of(), properties, clock);
    }

    public OutboxRelay(MongoTemplate mongo, EventPublisher publisher, List<OutboxListener> listeners,
            OutboxProperties properties, Clock clock) {
        this.mongo = mongo;
        this.publisher = publisher;
        this.listeners = List.copyOf(listeners);
        this.properties = properties;
        this.clock = clock;
    }

    /** Counts delivered and failed events as {@code liftoff.outbox.delivered} and {@code liftoff.outbox.failed}. */
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        deliveredCounter = io.micrometer.core.instrument.Counter.builder("liftoff.outbox.delivered")
                .description("Events delivered to their consumer").register(registry);
        failedCounter = io.micrometer.core.instrument.Counter.builder("liftoff.outbox.failed")
                .description("Event deliveries that failed and will be retried").register(registry);
    }

    /** Tells the relay that this document has new events: it claims it at once, by id. Call it after the save. */
    public void wake(String collection, Object id) {
        hints.add(new Hint(collection, id));
        signal();
    }

    /**
     * Asks the relay for a full sweep now. Prefer {@link #wake(String, Object)}: a sweep searches every collection,
     * which on the embedded store decodes every document.
     */
    public void wake() {
        nextSweepNanos = System.nanoTime();
        signal();
    }

    private void signal() {
        lock.lock();
        try {
            woken = true;
            wakeUp.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    /** One pass: the hinted documents, the retries that are due, and a full sweep when it is time for one. */
    public int relayOnce() {
        int delivered = 0;
        Hint hint;
        while ((hint = hints.poll()) != null) {
            delivered += relayDocument(hint);
        }
        Retry retry;
        while ((retry = retries.poll()) != null) {
            delivered += relayDocument(retry.hint());
        }
        if (System.nanoTime() - nextSweepNanos >= 0) {
            nextSweepNanos = System.nanoTime() + properties.sweepInterval().toNanos();
            delivered += sweep();
        }
        return delivered;
    }

    /** Claims and delivers every due document of every collection (recovery; scans on the embedded store). */
    public int sweep() {
        int delivered = 0;
        for (String collection : properties.collections()) {
            Document claimed;
            while ((claimed = claim(collection, null)) != null) {
                delivered += deliver(collection, claimed);
            }
        }
        return delivered;
    }

    /**
     * Claims one hinted document: read by id, decide in Java whether it is due and free, then take the lease with a
     * compare-and-set on the lease it saw. Every query here has exactly the keys of a unique index the relay creates,
     * so even the embedded store (which uses an index only for such queries) touches this one document.
     */
    private int relayDocument(Hint hint) {
        Document current = mongo.findById(hint.id(), Document.class, hint.collection());
        Document outbox = current == null ? null : current.get("outbox", Document.class);
        Instant now = clock.instant();
        if (outbox == null || outbox.getDate("nextAttemptAt") == null
                || outbox.getDate("nextAttemptAt").toInstant().isAfter(now)) {
            return 0;
        }
        Date leaseUntil = outbox.getDate("leaseUntil");
        if (leaseUntil != null && !leaseUntil.toInstant().isBefore(now)) {
            return 0;
        }
        Query unchangedLease = Query.query(Criteria.where("_id").is(hint.id())
                .and("outbox.leaseOwner").is(outbox.getString("leaseOwner"))
                .and("outbox.leaseUntil").is(leaseUntil));
        Document claimed = mongo.findAndModify(unchangedLease, lease(now),
                FindAndModifyOptions.options().returnNew(true), Document.class, hint.collection());
        return claimed == null ? 0 : deliver(hint.collection(), claimed);
    }

    /** Claims any due document (the sweep): a query on the due time, which only a real MongoDB serves by index. */
    private Document claim(String collection, Object ignored) {
        Instant now = clock.instant();
        Query due = Query.query(Criteria.where("outbox.nextAttemptAt").lte(now)
                .orOperator(Criteria.where("outbox.leaseUntil").is(null),
                        Criteria.where("outbox.leaseUntil").lt(now)));
        return mongo.findAndModify(due, lease(now), FindAndModifyOptions.options().returnNew(true), Document.class,
                collection);
    }

    private Update lease(Instant now) {
        // Millisecond precision, as stored: the lease value is part of later compare-and-set queries.
        Instant until = Instant.ofEpochMilli(now.plus(properties.lease()).toEpochMilli());
        return new Update().set("outbox.leaseUntil", until).set("outbox.leaseOwner", owner)
                .inc(properties.versionField(), 1);
    }

    /** The indexes the relay's compare-and-set queries need on every outbox collection (unique: they contain _id). */
    public void createIndexes() {
        for (String collection : properties.collections()) {
            mongo.indexOps(collection).createIndex(new org.springframework.data.mongodb.core.index.Index()
                    .on("_id", org.springframework.data.domain.Sort.Direction.ASC)
                    .on("outbox.leaseOwner", org.springframework.data.domain.Sort.Direction.ASC)
                    .on("outbox.leaseUntil", org.springframework.data.domain.Sort.Direction.ASC)
                    .unique().named("outbox_lease"));
            mongo.indexOps(collection).createIndex(new org.springframework.data.mongodb.core.index.Index()
                    .on("_id", org.springframework.data.domain.Sort.Direction.ASC)
                    .on(properties.versionField(), org.springframework.data.domain.Sort.Direction.ASC)
                    .unique().named("id_version"));
        }
    }

    @SuppressWarnings("unchecked")
    private int deliver(String collection, Document document) {
        Object id = document.get("_id");
        Document outbox = document.get("outbox", Document.class);
        Date lease = outbox.getDate("leaseUntil");
        List<Document> pending = outbox.getList("pending", Document.class, List.of());
        int delivered = 0;
        for (Document event : pending) {
            Map<String, Object> envelope = envelope(event);
            try {
                for (OutboxListener listener : listeners) {
                    listener.beforeDelivery(collection, envelope);
                }
                publisher.publish(envelope);
            }
            catch (EventPublisher.EventDeliveryException | RuntimeException ex) {
                int attempts = outbox.getInteger("attempts", 0) + 1;
                Duration backoff = backoff(attempts);
                log.warn("{} (attempt {}), next attempt in {}: {}", ex.getMessage(), attempts, backoff,
                        rootMessage(ex));
                mongo.updateFirst(claimedBy(id, lease), new Update().set("outbox.leaseUntil", FREE_UNTIL)
                        .set("outbox.leaseOwner", NO_OWNER)
                        .set("outbox.attempts", attempts).set("outbox.nextAttemptAt", clock.instant().plus(backoff))
                        .inc(properties.versionField(), 1), collection);
                retries.add(new Retry(new Hint(collection, id), System.nanoTime() + backoff.toNanos()));
                if (failedCounter != null) {
                    failedCounter.increment();
                }
                return delivered;
            }
            var result = mongo.updateFirst(claimedBy(id, lease),
                    new Update().pull("outbox.pending", new Document("eventId", event.get("eventId")))
                            .inc(properties.versionField(), 1),
                    collection);
            if (result.getMatchedCount() == 0) {
                log.warn("Lost the claim on {}/{} while relaying; another relay takes over", collection, id);
                return delivered;
            }
            delivered++;
            if (deliveredCounter != null) {
                deliveredCounter.increment();
            }
        }
        // Let go. An empty outbox is no longer due; events a writer added meanwhile stay due (its hint claims them).
        Document released = mongo.findAndModify(claimedBy(id, lease), new Update().set("outbox.leaseUntil", FREE_UNTIL)
                .set("outbox.leaseOwner", NO_OWNER).set("outbox.attempts", 0).inc(properties.versionField(), 1),
                FindAndModifyOptions.options().returnNew(true), Document.class, collection);
        if (released != null && released.get("outbox", Document.class)
                .getList("pending", Document.class, List.of()).isEmpty()) {
            mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and(properties.versionField())
                    .is(released.get(properties.versionField()))), new Update().unset("outbox.nextAttemptAt"),
                    collection);
        }
        return delivered;
    }

    private Query claimedBy(Object id, Date lease) {
        return Query.query(Criteria.where("_id").is(id).and("outbox.leaseOwner").is(owner)
                .and("outbox.leaseUntil").is(lease));
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
                if (!woken && hints.isEmpty() && worker == Thread.currentThread()) {
                    Retry next = retries.peek();
                    long wait = properties.pollInterval().toNanos();
                    if (next != null) {
                        wait = Math.min(wait, Math.max(0, next.getDelay(java.util.concurrent.TimeUnit.NANOSECONDS)));
                    }
                    wakeUp.awaitNanos(wait);
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
