package io.liftoff.notification.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.liftoff.notification.channel.ChannelDoc;
import io.liftoff.notification.channel.ChannelService;
import io.liftoff.notification.config.Claims;
import io.liftoff.notification.config.NotificationProperties;
import io.liftoff.notification.config.RecoveryScan;
import io.liftoff.notification.config.Workers;
import io.liftoff.notification.delivery.DeliveryDoc.AttemptRecord;
import io.liftoff.notification.delivery.DeliveryDoc.DeliveryState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Sends stored deliveries, at least once, without letting one destination hold up the others.
 * <ul>
 * <li>Each destination (a channel; the SMTP server for e-mails) has its own lane: a queue and at most
 * {@code per-destination} sends in flight. Lanes share a small pool of workers, so a slow or dead receiver occupies
 * only its own share of them.</li>
 * <li>A worker claims a delivery with a lease (a single conditional update), sends it, and records the attempt
 * (time, outcome, response code) in the same update that releases the claim; the {@link AttemptRecorder} writes the
 * records of many sends together while the workers go on sending. A worker that dies mid-send leaves a
 * lease that expires; the delivery is then sent again (at least once; receivers deduplicate with the delivery id).
 * A delivery the router has just stored was claimed for this dispatcher before it was inserted ({@link #reserve}),
 * so it is sent from memory without being read back.</li>
 * <li>Failures are retried with exponential backoff and jitter up to {@code max-attempts}; then, or at once for a
 * permanent refusal, the delivery is dead-lettered and waits for a replay.</li>
 * <li>A circuit breaker per destination: while open, its lane pauses: its deliveries wait in memory, without an
 * attempt being spent and without a write to the store, and the lane tries again after a short wait.</li>
 * <li>The lanes are a fast path only: a periodic scan of the store enqueues whatever is due (after a restart, a
 * retry whose timer was lost, a send that failed unexpectedly); on the embedded store it reads the store only when
 * something may have been lost ({@link RecoveryScan}).</li>
 * </ul>
 */
@Component
public class DeliveryDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryDispatcher.class);

    private final MongoTemplate mongo;
    private final Claims claims;
    private final ChannelService channels;
    private final Map<DeliveryDoc.ChannelKind, ChannelSender> senders = new EnumMap<>(DeliveryDoc.ChannelKind.class);
    private final NotificationProperties.Delivery settings;
    private final CircuitBreakerRegistry breakers;
    private final Clock clock;
    private final String owner = "dispatcher-" + UUID.randomUUID();
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final RecoveryScan recovery;
    private final AttemptRecorder recorder;
    private volatile boolean running;
    private ThreadPoolExecutor pool;
    private ScheduledExecutorService timers;

    /** Deliveries of one lane a worker sends in a row at most before it lets the pool choose again. */
    static final int RUN_LENGTH = 16;

    /** Deliveries reserved in memory per lane at most; past that, a lane keeps only ids (the store has the rest). */
    static final int MAX_RESERVED_PER_LANE = 500;

    /** A delivery to send: {@code reserved} when this process claimed it before inserting it (state known). */
    private record Item(String id, DeliveryDoc reserved) {
    }

    private static final class Lane {
        final String key;
        final ConcurrentLinkedDeque<Item> queue = new ConcurrentLinkedDeque<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger reserved = new AtomicInteger();
        final AtomicBoolean wakeScheduled = new AtomicBoolean();
        /** While its breaker refuses sends, the lane sends nothing before this moment ({@link System#nanoTime}). */
        volatile long pausedUntil;
        volatile boolean paused;

        Lane(String key) {
            this.key = key;
        }
    }

    public DeliveryDispatcher(MongoTemplate mongo, Claims claims, ChannelService channels, List<ChannelSender> senders,
            NotificationProperties properties, Clock clock) {
        this.mongo = mongo;
        this.claims = claims;
        this.channels = channels;
        senders.forEach(s -> this.senders.put(s.kind(), s));
        this.settings = properties.delivery();
        NotificationProperties.Breaker b = properties.breaker();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(b.failureRateThreshold()).minimumNumberOfCalls(b.minimumCalls())
                .slidingWindowSize(b.windowSize()).waitDurationInOpenState(b.openFor())
                .permittedNumberOfCallsInHalfOpenState(1).automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(ex -> true).build());
        this.clock = clock;
        this.recovery = new RecoveryScan(!claims.singleProcess(), settings.recoveryInterval());
        this.recorder = new AttemptRecorder(claims, owner, settings.batchLinger(), recovery::request);
    }

    /** Asks for a scan of the store at the next tick (deliveries were stored but not handed over). */
    public void recoverSoon() {
        recovery.request();
    }

    /**
     * Claims a delivery the router is about to insert, so that it can be sent from memory once stored: held in this
     * process and, for a shared store, leased in the document itself. False when it is held already.
     */
    public boolean reserve(DeliveryDoc delivery) {
        if (!claims.hold(DeliveryDoc.class, delivery.id)) {
            return false;
        }
        if (!claims.singleProcess()) {
            delivery.leaseUntil = clock.instant().plus(settings.lease());
            delivery.leaseOwner = owner;
        }
        return true;
    }

    /** Gives up a reservation whose delivery was not inserted (or will not be sent from memory). */
    public void unreserve(DeliveryDoc delivery) {
        claims.release(DeliveryDoc.class, delivery.id);
    }

    /** Sends a delivery this process reserved and stored. */
    public void enqueueReserved(DeliveryDoc delivery) {
        Lane lane = running ? lanes.computeIfAbsent(delivery.lane, Lane::new) : null;
        if (lane == null || lane.reserved.get() >= MAX_RESERVED_PER_LANE || !queued.add(delivery.id)) {
            // stopping, a long queue, or queued already by the scan: it is claimed through the store instead
            unreserve(delivery);
            enqueue(delivery.id, delivery.lane);
            return;
        }
        lane.reserved.incrementAndGet();
        lane.queue.add(new Item(delivery.id, delivery));
        drain(lane);
    }

    /** Sends the delivery soon (a hint; the store stays the truth). */
    public void enqueue(DeliveryDoc delivery) {
        enqueue(delivery.id, delivery.lane);
    }

    /** True when the delivery was not queued before. */
    boolean enqueue(String id, String laneKey) {
        if (!running || !queued.add(id)) {
            return false;
        }
        Lane lane = lanes.computeIfAbsent(laneKey, Lane::new);
        lane.queue.add(new Item(id, null));
        drain(lane);
        return true;
    }

    /** The state of a destination's breaker (CLOSED, OPEN, HALF_OPEN). */
    public String breakerState(String laneKey) {
        return breakers.circuitBreaker(laneKey).getState().name();
    }

    private void drain(Lane lane) {
        while (running && !lane.queue.isEmpty()) {
            if (lane.paused) {
                long left = lane.pausedUntil - System.nanoTime();
                if (left > 0) {
                    wakeLater(lane, left);
                    return;
                }
                lane.paused = false;
            }
            int now = lane.inFlight.get();
            if (now >= settings.perDestination()) {
                return;
            }
            if (!lane.inFlight.compareAndSet(now, now + 1)) {
                continue;
            }
            Item item = lane.queue.poll();
            if (item == null) {
                lane.inFlight.decrementAndGet();
                continue;
            }
            try {
                pool.execute(() -> run(lane, item));
            }
            catch (java.util.concurrent.RejectedExecutionException ex) {
                lane.inFlight.decrementAndGet();
                queued.remove(item.id());
                recovery.request();
                if (item.reserved() != null) {
                    lane.reserved.decrementAndGet();
                    unreserve(item.reserved());
                }
                return;
            }
        }
    }

    /**
     * A worker's turn on a lane: the item it was given, then the lane's next ones on the same thread (up to
     * {@value #RUN_LENGTH}, so other lanes get their turn), without handing each to the pool, where every hand-off
     * woke an idle worker. The lane's slot is held throughout.
     */
    private void run(Lane lane, Item first) {
        try {
            Item item = first;
            for (int sent = 1; item != null; sent++) {
                queued.remove(item.id());
                if (item.reserved() != null) {
                    lane.reserved.decrementAndGet();
                }
                if (running) {
                    process(item, lane);
                }
                else if (item.reserved() != null) {
                    unreserve(item.reserved());
                }
                item = sent < RUN_LENGTH && running && !lane.paused ? lane.queue.poll() : null;
            }
        }
        finally {
            lane.inFlight.decrementAndGet();
            drain(lane);
        }
    }

    /**
     * Sends one delivery. The destination's breaker is asked first: while it refuses, the delivery goes back to the
     * head of its lane, which pauses, and nothing is read or written.
     */
    void process(Item item, Lane lane) {
        CircuitBreaker breaker = breakers.circuitBreaker(lane.key);
        if (!breaker.tryAcquirePermission()) {
            park(item, lane);
            return;
        }
        DeliveryDoc delivery = null; // not null once this worker holds the claim
        boolean reported = false;
        boolean handedOver = false; // the recorder ends the claim once the attempt is written
        try {
            if (item.reserved() != null) {
                delivery = fromReservation(item.reserved());
            }
            if (delivery == null) {
                delivery = claim(item.id());
            }
            if (delivery == null) {
                return;
            }
            long started = System.nanoTime();
            SendResult result = send(delivery);
            long elapsed = System.nanoTime() - started;
            if (result.outcome() == SendResult.Outcome.FAILED) {
                breaker.onError(elapsed, TimeUnit.NANOSECONDS, new DeliveryFailed(result.error()));
            }
            else {
                breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            }
            reported = true;
            handedOver = record(delivery, result, Duration.ofNanos(elapsed));
        }
        catch (RuntimeException ex) {
            log.warn("Delivery {} failed unexpectedly; retried after its lease: {}", item.id(), ex.toString());
            recovery.request();
        }
        finally {
            if (!reported) {
                breaker.releasePermission();
            }
            if (delivery != null && !handedOver) {
                claims.release(DeliveryDoc.class, delivery.id);
            }
        }
    }

    /**
     * A reserved delivery as it is: on the embedded store the in-memory hold is the claim; on a shared store its
     * lease must have time left, else it is given up and claimed anew through the store (null).
     */
    private DeliveryDoc fromReservation(DeliveryDoc reserved) {
        if (claims.singleProcess() || (reserved.leaseUntil != null
                && reserved.leaseUntil.isAfter(clock.instant().plus(settings.lease().dividedBy(2))))) {
            return reserved;
        }
        unreserve(reserved);
        return null;
    }

    /** The breaker refused: back to the head of the lane, which waits before it sends again. */
    private void park(Item item, Lane lane) {
        Duration wait = breakerWait();
        lane.pausedUntil = System.nanoTime() + wait.toNanos();
        lane.paused = true;
        if (running && queued.add(item.id())) {
            if (item.reserved() != null) {
                lane.reserved.incrementAndGet();
            }
            lane.queue.addFirst(item);
        }
        else if (item.reserved() != null) {
            // queued again meanwhile by the scan: that entry claims it through the store
            unreserve(item.reserved());
        }
        wakeLater(lane, wait.toNanos());
    }

    /** Drains the lane again after a while (once, however many ask). */
    private void wakeLater(Lane lane, long nanos) {
        if (running && lane.wakeScheduled.compareAndSet(false, true)) {
            try {
                timers.schedule(() -> {
                    lane.wakeScheduled.set(false);
                    drain(lane);
                }, nanos / 1_000_000 + 1, TimeUnit.MILLISECONDS);
            }
            catch (java.util.concurrent.RejectedExecutionException ex) {
                lane.wakeScheduled.set(false); // stopping
            }
        }
    }

    private SendResult send(DeliveryDoc delivery) {
        ChannelDoc channel = null;
        if (delivery.channelId != null) {
            channel = channels.byId(delivery.channelId);
            if (channel == null) {
                return SendResult.refused(null, "the channel was removed");
            }
        }
        ChannelSender sender = senders.get(delivery.channel);
        return sender.send(delivery, channel);
    }

    private DeliveryDoc claim(String id) {
        Instant now = clock.instant();
        Criteria due = Criteria.where("status").is(DeliveryState.PENDING).and("nextAttemptAt").lte(now)
                .orOperator(Criteria.where("leaseUntil").is(null), Criteria.where("leaseUntil").lt(now));
        Update lease = new Update().set("leaseUntil", now.plus(settings.lease())).set("leaseOwner", owner);
        return claims.claim(DeliveryDoc.class, id, due,
                d -> d.status == DeliveryState.PENDING && d.nextAttemptAt != null && !d.nextAttemptAt.isAfter(now)
                        && (d.leaseUntil == null || d.leaseUntil.isBefore(now)),
                lease);
    }

    /**
     * Hands the attempt's record to the {@link AttemptRecorder}; once it is written, the claim ends and a retry is
     * scheduled if one is due. False when the recorder has stopped (the service is stopping): the claim is then the
     * caller's to end, and the delivery, still pending in the store, is sent again after a restart.
     */
    private boolean record(DeliveryDoc delivery, SendResult result, Duration took) {
        Instant now = clock.instant();
        AttemptRecord attempt = new AttemptRecord(now, result.outcome().name(), result.statusCode(), result.error(),
                took.toMillis());
        int tries = delivery.tries + 1;
        Update update = new Update().push("log", attempt).set("tries", tries).unset("leaseUntil").unset("leaseOwner");
        Duration retryIn = null;
        switch (result.outcome()) {
            case DELIVERED -> update.set("status", DeliveryState.DELIVERED).set("deliveredAt", now);
            case REFUSED -> update.set("status", DeliveryState.DEAD_LETTER);
            case FAILED -> {
                if (tries >= settings.maxAttempts()) {
                    update.set("status", DeliveryState.DEAD_LETTER);
                }
                else {
                    retryIn = backoff(tries);
                    update.set("nextAttemptAt", now.plus(retryIn));
                }
            }
        }
        if (result.outcome() != SendResult.Outcome.DELIVERED) {
            log.info("Delivery {} to {} attempt {}: {} {}", delivery.id, delivery.destination, tries,
                    result.outcome(), result.error());
        }
        Duration retry = retryIn;
        return recorder.record(new AttemptRecorder.Attempt(delivery.id, update, () -> {
            claims.release(DeliveryDoc.class, delivery.id);
            if (retry != null) {
                schedule(delivery, retry);
            }
        }));
    }

    private void schedule(DeliveryDoc delivery, Duration wait) {
        if (running) {
            timers.schedule(() -> enqueue(delivery.id, delivery.lane), wait.toMillis() + 5, TimeUnit.MILLISECONDS);
        }
    }

    Duration backoff(int tries) {
        long base = settings.initialBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        long exponential = tries >= 31 ? max : Math.min(max, base * (1L << Math.max(0, tries - 1)));
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis(Math.min(max, Math.round(exponential * jitter)));
    }

    private Duration breakerWait() {
        long base = Math.max(100, settings.initialBackoff().toMillis());
        return Duration.ofMillis(Math.round(base * (0.8 + ThreadLocalRandom.current().nextDouble() * 0.4)));
    }

    /** Enqueues every due delivery found in the store (when a scan is due: {@link RecoveryScan}). */
    void scan() {
        if (!recovery.due()) {
            return;
        }
        try {
            Instant now = clock.instant();
            Query due = Query.query(Criteria.where("status").is(DeliveryState.PENDING).and("nextAttemptAt").lte(now)
                    .orOperator(Criteria.where("leaseUntil").is(null), Criteria.where("leaseUntil").lt(now)))
                    .limit(1000);
            due.fields().include("_id", "lane");
            List<DeliveryDoc> found = mongo.find(due, DeliveryDoc.class);
            int added = 0;
            for (DeliveryDoc d : found) {
                added += enqueue(d.id, d.lane) ? 1 : 0;
            }
            if (found.size() == 1000 && added > 0) {
                recovery.request(); // there may be more
            }
        }
        catch (RuntimeException ex) {
            log.warn("Scan for due deliveries failed: {}", ex.toString());
            recovery.request();
        }
    }

    @Override
    public void start() {
        pool = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), Workers.named("delivery"));
        timers = Executors.newSingleThreadScheduledExecutor(Workers.named("delivery-timer"));
        recorder.start();
        running = true;
        long every = settings.recoveryInterval().toMillis();
        timers.scheduleWithFixedDelay(this::scan, 0, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        running = false;
        timers.shutdownNow();
        pool.shutdown();
        Workers.await(pool, settings.shutdownGrace());
        recorder.stop(settings.shutdownGrace());
        for (Lane lane : lanes.values()) {
            Item left;
            while ((left = lane.queue.poll()) != null) {
                if (left.reserved() != null) {
                    unreserve(left.reserved());
                }
            }
        }
        lanes.clear();
        queued.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** A failed send, as the circuit breaker counts it. */
    static final class DeliveryFailed extends RuntimeException {
        DeliveryFailed(String message) {
            super(message, null, false, false);
        }
    }
}
