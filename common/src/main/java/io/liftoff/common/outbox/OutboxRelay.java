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

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import io.liftoff.common.store.PartialIndexes;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.IndexInfo;
import org.springframework.data.mongodb.core.index.IndexOperations;
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
    private static final int PULL_BATCH = 100;
    static final String LEGACY_LEASE_INDEX = "outbox_lease";
    static final String LEGACY_VERSION_INDEX = "id_version";
    static final String DUE_INDEX = "outbox_due";

    /** The lease of a document nobody holds: concrete values, so a claim is one equality compare-and-set. */
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
    /** The hints waiting in {@link #hints}: a document hinted again before its turn is queued once. */
    private final java.util.Set<Hint> queued = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Documents a worker is relaying now; {@code true} once hinted again meanwhile (the worker then goes again). */
    private final java.util.concurrent.ConcurrentHashMap<Hint, Boolean> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.DelayQueue<Retry> retries = new java.util.concurrent.DelayQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean sweeping = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean woken;
    private volatile List<Thread> workers = List.of();
    private volatile long nextSweepNanos;

    private record Hint(String collection, Object id) {
    }

    /** A document to relay at {@code dueNanos}: a failed delivery's next attempt, or a hint held back by the linger. */
    private record Retry(Hint hint, long dueNanos, boolean hinted) implements java.util.concurrent.Delayed {

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

    /**
     * Tells the relay that this document has new events: it claims it by id after the {@code linger} (at once when
     * there is none). Call it after the save. A document hinted again while its hint waits is claimed once, so the
     * events written to one document within the linger are relayed by one claim.
     */
    public void wake(String collection, Object id) {
        Hint hint = new Hint(collection, id);
        if (queued.add(hint)) {
            long linger = properties.linger().toNanos();
            if (linger > 0) {
                retries.add(new Retry(hint, System.nanoTime() + linger, true));
            }
            else {
                hints.add(hint);
            }
        }
        signal();
    }

    /**
     * Asks the relay for a full sweep now. Prefer {@link #wake(String, Object)}: a sweep claims every document of
     * every collection with events due, one query and one claim at a time.
     */
    public void wake() {
        nextSweepNanos = System.nanoTime();
        signal();
    }

    private void signal() {
        lock.lock();
        try {
            woken = true;
            // One worker is enough for one hint; the others stay asleep (each wake-up is a pass over the queues).
            wakeUp.signal();
        }
        finally {
            lock.unlock();
        }
    }

    /** One pass: the hinted documents, the retries that are due, and a full sweep when it is time for one. */
    public int relayOnce() {
        int delivered = 0;
        Hint hint;
        while ((hint = nextHint()) != null) {
            delivered += relayExclusively(hint);
        }
        if (System.nanoTime() - nextSweepNanos >= 0 && sweeping.compareAndSet(false, true)) {
            try {
                nextSweepNanos = System.nanoTime() + properties.sweepInterval().toNanos();
                delivered += sweep();
            }
            finally {
                sweeping.set(false);
            }
        }
        return delivered;
    }

    private Hint nextHint() {
        Hint hint = hints.poll();
        if (hint != null) {
            queued.remove(hint);
            return hint;
        }
        Retry retry = retries.poll();
        if (retry == null) {
            return null;
        }
        if (retry.hinted()) {
            queued.remove(retry.hint());
        }
        return retry.hint();
    }

    /**
     * Relays a hinted document unless another worker of this relay is at it; that worker then goes once more, so
     * events added meanwhile are not left for the sweep, and one document is never relayed by two workers at once.
     */
    private int relayExclusively(Hint hint) {
        boolean[] mine = {false};
        inFlight.compute(hint, (key, again) -> {
            mine[0] = again == null;
            return again == null ? Boolean.FALSE : Boolean.TRUE;
        });
        if (!mine[0]) {
            return 0;
        }
        int delivered = 0;
        do {
            inFlight.put(hint, Boolean.FALSE);
            delivered += relayDocument(hint);
        }
        while (inFlight.compute(hint, (key, again) -> Boolean.TRUE.equals(again) ? Boolean.FALSE : null) != null);
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
     * Claims one hinted document. The usual case costs one write: a compare-and-set on the free lease ({@code _id},
     * owner {@code ""}, until the epoch; it pins {@code _id}, so even the embedded store touches only this document). Only when that misses (someone holds the lease, or held it and died) is the document read, and a
     * lease that expired is taken over with a compare-and-set on the lease seen.
     */
    private int relayDocument(Hint hint) {
        Instant now = clock.instant();
        Document claimed = mongo.findAndModify(leaseIs(hint.id(), NO_OWNER, Date.from(FREE_UNTIL)), lease(now),
                FindAndModifyOptions.options().returnNew(true), Document.class, hint.collection());
        if (claimed == null) {
            claimed = takeOverExpired(hint, now);
        }
        if (claimed == null) {
            return 0;
        }
        Date due = claimed.get("outbox", Document.class).getDate("nextAttemptAt");
        if (due != null && due.toInstant().isAfter(now)) {
            // Backing off after a failed delivery: not due yet, the scheduled retry comes back for it.
            mongo.updateFirst(claimedBy(claimed.get("_id"), claimed.get("outbox", Document.class)
                    .getDate("leaseUntil")), new Update().set("outbox.leaseUntil", FREE_UNTIL)
                    .set("outbox.leaseOwner", NO_OWNER).inc(properties.versionField(), 1), hint.collection());
            return 0;
        }
        return deliver(hint.collection(), claimed);
    }

    private Document takeOverExpired(Hint hint, Instant now) {
        Document current = mongo.findById(hint.id(), Document.class, hint.collection());
        Document outbox = current == null ? null : current.get("outbox", Document.class);
        if (outbox == null) {
            return null;
        }
        Date leaseUntil = outbox.getDate("leaseUntil");
        if (leaseUntil == null || !leaseUntil.toInstant().isBefore(now)) {
            return null;
        }
        return mongo.findAndModify(leaseIs(hint.id(), outbox.getString("leaseOwner"), leaseUntil), lease(now),
                FindAndModifyOptions.options().returnNew(true), Document.class, hint.collection());
    }

    private Query leaseIs(Object id, String owner, Date until) {
        return outboxOnly(Query.query(Criteria.where("_id").is(id).and("outbox.leaseOwner").is(owner)
                .and("outbox.leaseUntil").is(until)));
    }

    /** The relay reads only the outbox and the version of a document it claims, not the whole aggregate. */
    private Query outboxOnly(Query query) {
        query.fields().include("outbox", properties.versionField());
        return query;
    }

    /** Claims any due document (the sweep): a query on the due time, which only a real MongoDB serves by index. */
    private Document claim(String collection, Object ignored) {
        Instant now = clock.instant();
        Query due = outboxOnly(Query.query(Criteria.where("outbox.nextAttemptAt").lte(now)
                .orOperator(Criteria.where("outbox.leaseUntil").is(null),
                        Criteria.where("outbox.leaseUntil").lt(now))));
        return mongo.findAndModify(due, lease(now), FindAndModifyOptions.options().returnNew(true), Document.class,
                collection);
    }

    private Update lease(Instant now) {
        // Millisecond precision, as stored: the lease value is part of later compare-and-set queries.
        Instant until = Instant.ofEpochMilli(now.plus(properties.lease()).toEpochMilli());
        return new Update().set("outbox.leaseUntil", until).set("outbox.leaseOwner", owner)
                .inc(properties.versionField(), 1);
    }

    /**
     * The relay's compare-and-set queries all pin {@code _id}, so the {@code _id} index serves them, in MongoDB and in
     * the embedded store alike ({@code IdFirstPlanner}). Builds before that kept two compound unique indexes for them
     * ({@value #LEGACY_LEASE_INDEX}, {@value #LEGACY_VERSION_INDEX}), which every write of the collection paid for; an
     * existing store drops them here. The sweep's query on the due time is served by a partial index
     * ({@value #DUE_INDEX}) that holds only the documents with events still to relay: the embedded store otherwise
     * read every document of the collection (checklist-service's releases are large) under its lock each sweep.
     */
    public void createIndexes() {
        for (String collection : properties.collections()) {
            IndexOperations indexes = mongo.indexOps(collection);
            for (IndexInfo index : indexes.getIndexInfo()) {
                if (index.getName().equals(LEGACY_LEASE_INDEX) || index.getName().equals(LEGACY_VERSION_INDEX)) {
                    indexes.dropIndex(index.getName());
                }
            }
            PartialIndexes.ensure(mongo, collection, DUE_INDEX, Indexes.ascending("outbox.nextAttemptAt"),
                    Filters.exists("outbox.nextAttemptAt"));
        }
    }

    /**
     * Delivers the claimed document's events in order, then lets go of it with one write that removes the delivered
     * events. The listeners see all of them first, in one call. The publisher gets them {@value #PULL_BATCH} at a
     * time (a batching publisher sends them in one request). An event whose delivery fails stops the pass: the
     * delivered ones are removed, the rest wait for the retry. Delivered events are also removed every
     * {@value #PULL_BATCH} events, so a relay that dies during a long backlog re-sends at most that many.
     */
    private int deliver(String collection, Document document) {
        Document outbox = document.get("outbox", Document.class);
        List<Document> pending = outbox.getList("pending", Document.class, List.of());
        Claim claim = new Claim(collection, document.get("_id"), outbox.getDate("leaseUntil"),
                document.get(properties.versionField()));
        List<Object> delivered = new java.util.ArrayList<>();
        List<Map<String, Object>> envelopes = pending.stream().map(OutboxRelay::envelope).toList();
        if (envelopes.isEmpty()) {
            release(claim, delivered);
            return 0;
        }
        try {
            for (OutboxListener listener : listeners) {
                listener.beforeDelivery(collection, envelopes);
            }
        }
        catch (RuntimeException ex) {
            failed(claim, delivered, outbox.getInteger("attempts", 0) + 1, ex);
            return 0;
        }
        int total = 0;
        for (int from = 0; from < envelopes.size(); from += PULL_BATCH) {
            List<Map<String, Object>> chunk = envelopes.subList(from, Math.min(envelopes.size(), from + PULL_BATCH));
            EventPublisher.Outcome outcome;
            try {
                outcome = publisher.publishAll(chunk);
            }
            catch (RuntimeException ex) {
                outcome = new EventPublisher.Outcome(0,
                        new EventPublisher.EventDeliveryException("Events not delivered", ex));
            }
            for (int i = 0; i < outcome.delivered(); i++) {
                delivered.add(chunk.get(i).get("eventId"));
                total++;
                if (deliveredCounter != null) {
                    deliveredCounter.increment();
                }
            }
            if (outcome.failure() != null) {
                failed(claim, delivered, outbox.getInteger("attempts", 0) + 1, outcome.failure());
                return total;
            }
            if (delivered.size() >= PULL_BATCH) {
                var result = mongo.updateFirst(claimedBy(claim.id(), claim.lease()),
                        removing(delivered).inc(properties.versionField(), 1), collection);
                if (result.getMatchedCount() == 0) {
                    log.warn("Lost the claim on {}/{} while relaying; another relay takes over", collection,
                            claim.id());
                    return total;
                }
                claim = claim.bumped();
                delivered.clear();
            }
        }
        release(claim, delivered);
        return total;
    }

    /** Removes what was delivered, lets go of the claim and schedules the next attempt with backoff. */
    private void failed(Claim claim, List<Object> delivered, int attempts, Exception ex) {
        Duration backoff = backoff(attempts);
        log.warn("{} (attempt {}), next attempt in {}: {}", ex.getMessage(), attempts, backoff, rootMessage(ex));
        mongo.updateFirst(claimedBy(claim.id(), claim.lease()), removing(delivered)
                .set("outbox.leaseUntil", FREE_UNTIL).set("outbox.leaseOwner", NO_OWNER)
                .set("outbox.attempts", attempts).set("outbox.nextAttemptAt", clock.instant().plus(backoff))
                .inc(properties.versionField(), 1), claim.collection());
        retries.add(new Retry(new Hint(claim.collection(), claim.id()), System.nanoTime() + backoff.toNanos(), false));
        if (failedCounter != null) {
            failedCounter.increment();
        }
    }

    /** Removes the delivered events and lets go of the claim. */
    private void release(Claim claim, List<Object> delivered) {
        String collection = claim.collection();
        // Nobody wrote the document since the claim (its version is still ours): the outbox is now empty for sure,
        // so one write removes the events, frees the lease and marks the document as no longer due.
        var untouched = mongo.updateFirst(
                Query.query(Criteria.where("_id").is(claim.id()).and(properties.versionField()).is(claim.version())),
                removing(delivered).set("outbox.leaseUntil", FREE_UNTIL).set("outbox.leaseOwner", NO_OWNER)
                        .set("outbox.attempts", 0).unset("outbox.nextAttemptAt").inc(properties.versionField(), 1),
                collection);
        if (untouched.getModifiedCount() == 1) {
            return;
        }
        // A writer changed the document meanwhile (and may have added events: its own hint claims them). Let go
        // under the lease; when nothing is pending after all, the document is no longer due.
        Document released = mongo.findAndModify(outboxOnly(claimedBy(claim.id(), claim.lease())), removing(delivered)
                .set("outbox.leaseUntil", FREE_UNTIL).set("outbox.leaseOwner", NO_OWNER).set("outbox.attempts", 0)
                .inc(properties.versionField(), 1), FindAndModifyOptions.options().returnNew(true), Document.class,
                collection);
        if (released == null) {
            log.warn("Lost the claim on {}/{} while relaying; another relay takes over", collection, claim.id());
            return;
        }
        if (released.get("outbox", Document.class).getList("pending", Document.class, List.of()).isEmpty()) {
            mongo.updateFirst(Query.query(Criteria.where("_id").is(claim.id()).and(properties.versionField())
                    .is(released.get(properties.versionField()))), new Update().unset("outbox.nextAttemptAt"),
                    collection);
        }
        else {
            // Events arrived while we held the claim; their writer's hint may have found the document taken.
            wake(collection, claim.id());
        }
    }

    private static Update removing(List<Object> eventIds) {
        Update update = new Update();
        if (!eventIds.isEmpty()) {
            update.pull("outbox.pending", new Document("eventId", new Document("$in", List.copyOf(eventIds))));
        }
        return update;
    }

    /** A claimed document: its lease, and its version as of the relay's last own write. */
    private record Claim(String collection, Object id, Date lease, Object version) {

        Claim bumped() {
            Object next = version instanceof Integer i ? (Object) (i + 1)
                    : version instanceof Long l ? (Object) (l + 1) : version;
            return new Claim(collection, id, lease, next);
        }
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
        while (workers.contains(Thread.currentThread())) {
            try {
                relayOnce();
            }
            catch (RuntimeException ex) {
                log.warn("Outbox relay pass failed: {}", rootMessage(ex));
            }
            lock.lock();
            try {
                if (!woken && hints.isEmpty() && workers.contains(Thread.currentThread())) {
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

    /** Starts the relay's workers: several, so one slow consumer call does not hold up the other documents. */
    @Override
    public void start() {
        if (workers.isEmpty()) {
            List<Thread> started = new java.util.ArrayList<>();
            for (int i = 0; i < Math.max(1, properties.workers()); i++) {
                Thread thread = new Thread(this::runLoop, "outbox-relay-" + i);
                thread.setDaemon(true);
                started.add(thread);
            }
            workers = List.copyOf(started);
            started.forEach(Thread::start);
        }
    }

    @Override
    public void stop() {
        List<Thread> running = workers;
        workers = List.of();
        running.forEach(Thread::interrupt);
        for (Thread thread : running) {
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
        return !workers.isEmpty();
    }
}
