package io.liftoff.notification.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.liftoff.notification.channel.ChannelDoc;
import io.liftoff.notification.channel.ChannelService;
import io.liftoff.notification.config.Claims;
import io.liftoff.notification.config.NotificationProperties;
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
 * (time, outcome, response code) in the same update that releases the claim. A worker that dies mid-send leaves a
 * lease that expires; the delivery is then sent again (at least once; receivers deduplicate with the delivery id).</li>
 * <li>Failures are retried with exponential backoff and jitter up to {@code max-attempts}; then, or at once for a
 * permanent refusal, the delivery is dead-lettered and waits for a replay.</li>
 * <li>A circuit breaker per destination: while open, deliveries to it wait without an attempt being spent.</li>
 * <li>The lanes are a fast path only: a periodic scan of the store enqueues whatever is due (after a restart, a
 * retry whose timer was lost, a replay).</li>
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
    private volatile boolean running;
    private ThreadPoolExecutor pool;
    private ScheduledExecutorService timers;

    private static final class Lane {
        final String key;
        final Queue<String> queue = new ConcurrentLinkedQueue<>();
        final AtomicInteger inFlight = new AtomicInteger();

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
    }

    /** Sends the delivery soon (a hint; the store stays the truth). */
    public void enqueue(DeliveryDoc delivery) {
        enqueue(delivery.id, delivery.lane);
    }

    void enqueue(String id, String laneKey) {
        if (!running || !queued.add(id)) {
            return;
        }
        Lane lane = lanes.computeIfAbsent(laneKey, Lane::new);
        lane.queue.add(id);
        drain(lane);
    }

    /** The state of a destination's breaker (CLOSED, OPEN, HALF_OPEN). */
    public String breakerState(String laneKey) {
        return breakers.circuitBreaker(laneKey).getState().name();
    }

    private void drain(Lane lane) {
        while (running && !lane.queue.isEmpty()) {
            int now = lane.inFlight.get();
            if (now >= settings.perDestination()) {
                return;
            }
            if (!lane.inFlight.compareAndSet(now, now + 1)) {
                continue;
            }
            String id = lane.queue.poll();
            if (id == null) {
                lane.inFlight.decrementAndGet();
                continue;
            }
            try {
                pool.execute(() -> {
                    try {
                        queued.remove(id);
                        if (running) {
                            process(id, lane.key);
                        }
                    }
                    finally {
                        lane.inFlight.decrementAndGet();
                        drain(lane);
                    }
                });
            }
            catch (java.util.concurrent.RejectedExecutionException ex) {
                lane.inFlight.decrementAndGet();
                queued.remove(id);
                return;
            }
        }
    }

    void process(String id, String laneKey) {
        DeliveryDoc delivery = null;
        try {
            delivery = claim(id);
            if (delivery == null) {
                return;
            }
            CircuitBreaker breaker = breakers.circuitBreaker(laneKey);
            if (!breaker.tryAcquirePermission()) {
                Duration wait = breakerWait();
                release(delivery, clock.instant().plus(wait));
                schedule(delivery, wait);
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
            record(delivery, result, Duration.ofNanos(elapsed));
        }
        catch (RuntimeException ex) {
            log.warn("Delivery {} failed unexpectedly; retried after its lease: {}", id, ex.toString());
        }
        finally {
            if (delivery != null) {
                claims.release(DeliveryDoc.class, id);
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

    private void release(DeliveryDoc delivery, Instant next) {
        claims.update(DeliveryDoc.class, delivery.id, "leaseOwner", owner, new Update().set("nextAttemptAt", next)
                .unset("leaseUntil").unset("leaseOwner"));
    }

    private void record(DeliveryDoc delivery, SendResult result, Duration took) {
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
        if (!claims.update(DeliveryDoc.class, delivery.id, "leaseOwner", owner, update)) {
            log.warn("Delivery {} lost its lease while sending; another worker sends it again", delivery.id);
            return;
        }
        if (result.outcome() != SendResult.Outcome.DELIVERED) {
            log.info("Delivery {} to {} attempt {}: {} {}", delivery.id, delivery.destination, tries,
                    result.outcome(), result.error());
        }
        if (retryIn != null) {
            schedule(delivery, retryIn);
        }
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

    /** Enqueues every due delivery found in the store. */
    void scan() {
        try {
            Instant now = clock.instant();
            Query due = Query.query(Criteria.where("status").is(DeliveryState.PENDING).and("nextAttemptAt").lte(now)
                    .orOperator(Criteria.where("leaseUntil").is(null), Criteria.where("leaseUntil").lt(now)))
                    .limit(1000);
            due.fields().include("_id", "lane");
            for (DeliveryDoc d : mongo.find(due, DeliveryDoc.class)) {
                enqueue(d.id, d.lane);
            }
        }
        catch (RuntimeException ex) {
            log.warn("Scan for due deliveries failed: {}", ex.toString());
        }
    }

    @Override
    public void start() {
        pool = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), Workers.named("delivery"));
        timers = Executors.newSingleThreadScheduledExecutor(Workers.named("delivery-timer"));
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
