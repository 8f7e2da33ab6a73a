package io.liftoff.notification.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.liftoff.notification.config.NotificationProperties;
import io.liftoff.notification.config.Workers;
import io.liftoff.notification.delivery.DeliveryDispatcher;
import io.liftoff.notification.delivery.DeliveryDoc;
import io.liftoff.notification.notification.NotificationDoc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Moves unacknowledged notifications up the escalation chain. Timers live in the store ({@link EscalationDoc}); a
 * due one is claimed with a lease so one replica takes each step. The next level's deliveries are stored before the
 * timer moves on (their ids are derived, so a step taken twice after a crash stores nothing twice). After the last
 * level the chain stops or starts again from the first level, as the rule says. An acknowledgement stops the timer.
 */
@Component
public class EscalationWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EscalationWorker.class);

    private final MongoTemplate mongo;
    private final Router router;
    private final DeliveryDispatcher dispatcher;
    private final NotificationProperties.Escalation settings;
    private final Clock clock;
    private final String owner = "escalation-" + UUID.randomUUID();
    private volatile boolean running;
    private ScheduledExecutorService timer;

    public EscalationWorker(MongoTemplate mongo, Router router, DeliveryDispatcher dispatcher,
            NotificationProperties properties, Clock clock) {
        this.mongo = mongo;
        this.router = router;
        this.dispatcher = dispatcher;
        this.settings = properties.escalation();
        this.clock = clock;
    }

    /** Takes every due step; returns how many were taken. */
    public int tick() {
        int steps = 0;
        EscalationDoc due;
        while (running && (due = claim()) != null) {
            try {
                advance(due);
                steps++;
            }
            catch (RuntimeException ex) {
                log.warn("Escalation of {} failed; retried after its lease: {}", due.id, ex.toString());
            }
        }
        return steps;
    }

    private EscalationDoc claim() {
        Instant now = clock.instant();
        Query query = Query.query(Criteria.where("active").is(true).and("nextAt").lte(now)
                .orOperator(Criteria.where("leaseUntil").is(null), Criteria.where("leaseUntil").lt(now)));
        Update lease = new Update().set("leaseUntil", now.plus(settings.lease())).set("leaseOwner", owner);
        return mongo.findAndModify(query, lease, FindAndModifyOptions.options().returnNew(true), EscalationDoc.class);
    }

    private void advance(EscalationDoc timer) {
        Query mine = Query.query(Criteria.where("_id").is(timer.id).and("leaseOwner").is(owner).and("active")
                .is(true));
        NotificationDoc notification = mongo.findById(timer.id, NotificationDoc.class);
        if (notification == null || notification.ackAt != null) {
            mongo.updateFirst(mine, new Update().set("active", false).set("stoppedReason", "acknowledged")
                    .unset("leaseUntil").unset("leaseOwner"), EscalationDoc.class);
            return;
        }
        int nextLevel = timer.level + 1;
        int round = timer.round;
        if (nextLevel > timer.maxLevel) {
            if ("REPEAT".equals(timer.afterLastLevel) && timer.round < timer.maxRounds) {
                nextLevel = timer.startLevel;
                round = timer.round + 1;
            }
            else {
                mongo.updateFirst(mine, new Update().set("active", false)
                        .set("stoppedReason", "no acknowledgement after the last level").unset("leaseUntil")
                        .unset("leaseOwner"), EscalationDoc.class);
                log.info("Escalation of {} stopped after level {} without acknowledgement", timer.id, timer.level);
                return;
            }
        }
        List<DeliveryDoc> deliveries = router.planLevel(notification, nextLevel, round);
        Instant next = clock.instant().plus(Duration.ofMillis(timer.delayMillis));
        var moved = mongo.updateFirst(mine, new Update().set("level", nextLevel).set("round", round)
                .set("nextAt", next).unset("leaseUntil").unset("leaseOwner"), EscalationDoc.class);
        if (moved.getMatchedCount() == 0) {
            log.info("Escalation of {} was acknowledged or taken over while level {} was planned", timer.id,
                    nextLevel);
        }
        log.info("Notification {} escalated to level {} (round {}): {} deliveries", timer.id, nextLevel, round,
                deliveries.size());
        deliveries.forEach(dispatcher::enqueue);
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(Workers.named("escalation"));
        running = true;
        long every = settings.pollInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                tick();
            }
            catch (RuntimeException ex) {
                log.warn("Escalation pass failed: {}", ex.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        running = false;
        timer.shutdown();
        Workers.await(timer, Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
