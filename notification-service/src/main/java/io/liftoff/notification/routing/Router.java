package io.liftoff.notification.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.liftoff.notification.channel.ChannelDoc;
import io.liftoff.notification.channel.ChannelService;
import io.liftoff.notification.channel.EmailAddresses;
import io.liftoff.notification.config.Batches;
import io.liftoff.notification.config.Claims;
import io.liftoff.notification.config.NotificationProperties;
import io.liftoff.notification.config.RecoveryScan;
import io.liftoff.notification.config.Workers;
import io.liftoff.notification.contact.ContactDirectory;
import io.liftoff.notification.contact.Contacts;
import io.liftoff.notification.contact.ReleaseDirectory;
import io.liftoff.notification.contact.ReleaseView;
import io.liftoff.notification.delivery.DeliveryDispatcher;
import io.liftoff.notification.delivery.DeliveryDoc;
import io.liftoff.notification.delivery.DeliveryDoc.ChannelKind;
import io.liftoff.notification.delivery.DeliveryDoc.DeliveryState;
import io.liftoff.notification.notification.NotificationDoc;
import io.liftoff.notification.template.MessageFields;
import io.liftoff.notification.template.MessageTemplates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.BulkOperationException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Turns a stored notification into stored deliveries: picks the escalation rule of its type and severity, reads the
 * release's contacts, renders the message per level, stores one delivery per destination (ids derived from the
 * notification, so planning twice stores nothing twice), starts the escalation timer when the rule escalates, and
 * only then marks the notification routed. A notification is claimed with a lease while it is planned; one whose
 * signal was lost (a restart) is found again by a periodic scan of the store ({@link RecoveryScan}).
 * <p>
 * Notifications are planned in batches: a worker collects what arrives within {@code batch-linger} (up to
 * {@value #BATCH}), stores the deliveries of the whole batch with one insert and marks the batch routed with one bulk
 * update; one worker collects at a time, so the next batch fills while the last one is planned. A notification
 * handed over by the intake was claimed before it was inserted ({@link #reserve}), so it is planned from memory
 * without being read again; one found by the scan is claimed and read with the rest of its batch. The deliveries are
 * likewise claimed for the dispatcher before they are inserted, so it sends them without reading them back.
 */
@Component
public class Router implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Router.class);
    static final String SMTP_LANE = "smtp";
    private static final int DUPLICATE_KEY = 11000;
    /** Notifications planned together at most. */
    static final int BATCH = 100;
    /** Threads planning batches. */
    static final int WORKERS = 2;
    /** How long a worker waits for a first notification before it looks whether the router is still running. */
    private static final Duration IDLE_POLL = Duration.ofMillis(200);

    /** A notification to plan: {@code reserved} when this process claimed it before inserting it (state known). */
    private record Work(String id, NotificationDoc reserved) {
    }

    private final MongoTemplate mongo;
    private final Claims claims;
    private final ContactDirectory contacts;
    private final ReleaseDirectory releases;
    private final ChannelService channels;
    private final MessageTemplates templates;
    private final EscalationRules rules;
    private final DeliveryDispatcher dispatcher;
    private final NotificationProperties properties;
    private final Clock clock;
    private final String owner = "router-" + UUID.randomUUID();
    private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    /** Held by the worker collecting the next batch: one collects while the others plan. */
    private final ReentrantLock collecting = new ReentrantLock();
    /** Ids waiting in {@link #queue}, so the scan does not queue one twice. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final RecoveryScan recovery;
    private volatile boolean running;
    private ExecutorService pool;
    private ScheduledExecutorService scanner;

    public Router(MongoTemplate mongo, Claims claims, ContactDirectory contacts, ReleaseDirectory releases, ChannelService channels,
            MessageTemplates templates, EscalationRules rules, DeliveryDispatcher dispatcher,
            NotificationProperties properties, Clock clock) {
        this.mongo = mongo;
        this.claims = claims;
        this.contacts = contacts;
        this.releases = releases;
        this.channels = channels;
        this.templates = templates;
        this.rules = rules;
        this.dispatcher = dispatcher;
        this.properties = properties;
        this.clock = clock;
        this.recovery = new RecoveryScan(!claims.singleProcess(), properties.delivery().recoveryInterval());
    }

    /**
     * Claims a notification the intake is about to insert, so that it can be planned from memory once stored: held
     * in this process and, for a shared store, leased in the document itself. False when it is held already (the same
     * event arriving twice at once); it is then inserted as it is and planned through the store.
     */
    public boolean reserve(NotificationDoc n) {
        if (!claims.hold(NotificationDoc.class, n.id)) {
            return false;
        }
        if (!claims.singleProcess()) {
            n.routeLeaseUntil = clock.instant().plus(properties.delivery().lease());
            n.routeLeaseOwner = owner;
        }
        return true;
    }

    /**
     * Gives up a reservation whose notification this request did not insert. A concurrent repeat of the same event
     * may have stored it and found it held, so it is looked up once through the store.
     */
    public void unreserve(NotificationDoc n) {
        claims.release(NotificationDoc.class, n.id);
        submit(n.id);
    }

    /** Plans a notification this process reserved and stored (a hint: the store stays the truth). */
    public void submitReserved(NotificationDoc n) {
        if (!running || !queued.add(n.id)) {
            // stopping, or queued already by the scan: that entry claims it through the store once this hold is gone
            claims.release(NotificationDoc.class, n.id);
            return;
        }
        queue.add(new Work(n.id, n));
    }

    /** Plans the notification soon (a hint: the store is the truth). */
    public void submit(String notificationId) {
        if (running && queued.add(notificationId)) {
            queue.add(new Work(notificationId, null));
        }
    }

    private void work() {
        List<Work> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                collecting.lockInterruptibly();
                try {
                    if (!Batches.take(queue, batch, BATCH, IDLE_POLL, properties.delivery().batchLinger())) {
                        continue;
                    }
                }
                finally {
                    collecting.unlock();
                }
                batch.forEach(w -> queued.remove(w.id()));
                route(batch);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            finally {
                batch.clear();
            }
        }
    }

    /** Plans a batch: claims what was not reserved, stores every delivery, marks every notification routed. */
    void route(List<Work> batch) {
        List<NotificationDoc> claimed = new ArrayList<>();
        List<String> toClaim = new ArrayList<>();
        Instant now = clock.instant();
        for (Work w : batch) {
            NotificationDoc n = w.reserved();
            if (n == null) {
                toClaim.add(w.id());
            }
            else if (claims.singleProcess() || (n.routeLeaseUntil != null
                    && n.routeLeaseUntil.isAfter(now.plus(properties.delivery().lease().dividedBy(2))))) {
                claimed.add(n);
            }
            else {
                // waited so long that its lease is running out: claim it anew through the store
                claims.release(NotificationDoc.class, n.id);
                toClaim.add(n.id);
            }
        }
        List<Planned> plans = new ArrayList<>();
        Stored stored = null;
        try {
            if (!toClaim.isEmpty()) {
                claimed.addAll(claimAll(toClaim, now));
            }
            if (claimed.isEmpty()) {
                return;
            }
            for (NotificationDoc n : claimed) {
                try {
                    plans.add(plan(n));
                }
                catch (RuntimeException ex) {
                    log.warn("Planning notification {} failed; it is retried after its lease: {}", n.id,
                            ex.toString());
                    recovery.request();
                }
            }
            List<DeliveryDoc> all = new ArrayList<>();
            plans.forEach(p -> all.addAll(p.deliveries()));
            stored = store(all, true);
            for (Planned p : plans) {
                if (p.escalation() != null) {
                    startEscalation(p.escalation());
                }
            }
            Map<String, Update> routed = new LinkedHashMap<>();
            plans.forEach(p -> routed.put(p.notification().id, p.routed()));
            claims.updateAll(NotificationDoc.class, routed, "routeLeaseOwner", owner);
            Stored sending = stored;
            stored = null;
            sending.reserved().forEach(dispatcher::enqueueReserved);
            sending.existing().forEach(dispatcher::enqueue);
        }
        catch (RuntimeException ex) {
            log.warn("Routing {} notification(s) failed; they are retried after their lease: {}", claimed.size(),
                    ex.toString());
            recovery.request();
            if (stored != null) {
                // stored but not handed over: the dispatcher's scan finds them once they are no longer held
                stored.reserved().forEach(dispatcher::unreserve);
                dispatcher.recoverSoon();
            }
        }
        finally {
            claimed.forEach(n -> claims.release(NotificationDoc.class, n.id));
        }
    }

    private List<NotificationDoc> claimAll(List<String> ids, Instant now) {
        // a lease of this router's own (a reservation that waited long) is claimed anew: the hold guards this process
        Criteria unrouted = Criteria.where("routed").is(false)
                .orOperator(Criteria.where("routeLeaseUntil").is(null), Criteria.where("routeLeaseUntil").lt(now),
                        Criteria.where("routeLeaseOwner").is(owner));
        Update lease = new Update().set("routeLeaseUntil", now.plus(properties.delivery().lease()))
                .set("routeLeaseOwner", owner);
        return claims.claimAll(NotificationDoc.class, ids, n -> n.id, unrouted,
                n -> !n.routed && (n.routeLeaseUntil == null || n.routeLeaseUntil.isBefore(now)), lease);
    }

    /** What planning one notification decided: its deliveries, its escalation timer, its routed update. */
    private record Planned(NotificationDoc notification, List<DeliveryDoc> deliveries, EscalationDoc escalation,
            Update routed) {
    }

    private Planned plan(NotificationDoc n) {
        EscalationRule rule = rules.ruleFor(n.eventType, n.severity);
        ReleaseView.Lookup lookup = releases.lookup(n.releaseId);
        Contacts who = contacts.contactsFor(n.product, n.releaseId, lookup);
        ReleaseView release = lookup.outcome() == ReleaseView.Lookup.Outcome.FOUND ? lookup.release() : null;
        List<ChannelDoc> eligible = channels.forEvent(n.product, n.releaseId, n.eventType);
        List<DeliveryDoc> planned = new ArrayList<>();
        MessageTemplates.Rendered broadcast = render(n, release, rule.startLevel());
        for (ChannelDoc channel : eligible) {
            if (channel.isBroadcast()) {
                planned.add(toChannel(n, channel, 0, 1, broadcast));
            }
        }
        if (rule.startLevel() > 0) {
            planned.addAll(levelDeliveries(n, release, who, eligible, rule.startLevel(), 1));
            String releaseMail = who.channelAddress("EMAIL");
            if (EmailAddresses.isValid(releaseMail)) {
                planned.add(toEmail(n, List.of(releaseMail), rule.startLevel(), 1, "list:" + releaseMail, broadcast));
            }
        }
        EscalationDoc timer = rule.escalate() && rule.startLevel() > 0 ? escalation(n, rule, who, eligible) : null;
        Set<String> kinds = new LinkedHashSet<>();
        planned.forEach(d -> kinds.add(d.channel.name()));
        Update routed = new Update().set("routed", true).set("title", broadcast.title()).set("text", broadcast.text())
                .set("contactsSource", who.source().name()).set("channels", List.copyOf(kinds))
                .unset("routeLeaseUntil").unset("routeLeaseOwner");
        return new Planned(n, planned, timer, routed);
    }

    /** The deliveries of one escalation level: the channels serving it and the level's reachable members. */
    public List<DeliveryDoc> planLevel(NotificationDoc n, int level, int round) {
        ReleaseView.Lookup lookup = releases.lookup(n.releaseId);
        Contacts who = contacts.contactsFor(n.product, n.releaseId, lookup);
        ReleaseView release = lookup.outcome() == ReleaseView.Lookup.Outcome.FOUND ? lookup.release() : null;
        List<ChannelDoc> eligible = channels.forEvent(n.product, n.releaseId, n.eventType);
        Stored stored = store(levelDeliveries(n, release, who, eligible, level, round), false);
        return stored.existing();
    }

    /** The highest level anyone serves for this notification (checklist/override levels, channels' levels). */
    int maxLevel(Contacts who, List<ChannelDoc> eligible, int startLevel) {
        int max = Math.max(startLevel, who.maxLevel());
        for (ChannelDoc c : eligible) {
            if (c.levels != null) {
                for (int l : c.levels) {
                    max = Math.max(max, l);
                }
            }
        }
        return max;
    }

    private EscalationDoc escalation(NotificationDoc n, EscalationRule rule, Contacts who, List<ChannelDoc> eligible) {
        Duration delay = rules.delayOf(rule);
        EscalationDoc timer = new EscalationDoc();
        timer.id = n.id;
        timer.product = n.product;
        timer.startLevel = rule.startLevel();
        timer.level = rule.startLevel();
        timer.maxLevel = maxLevel(who, eligible, rule.startLevel());
        timer.delayMillis = delay.toMillis();
        timer.afterLastLevel = rule.afterLast().name();
        timer.round = 1;
        timer.maxRounds = rule.rounds();
        timer.active = true;
        timer.nextAt = clock.instant().plus(delay);
        return timer;
    }

    private void startEscalation(EscalationDoc timer) {
        try {
            mongo.insert(timer);
        }
        catch (DuplicateKeyException ex) {
            // planned before by a router that lost its lease: the timer is already running
        }
    }

    private List<DeliveryDoc> levelDeliveries(NotificationDoc n, ReleaseView release, Contacts who,
            List<ChannelDoc> eligible, int level, int round) {
        MessageTemplates.Rendered message = render(n, release, level);
        List<DeliveryDoc> result = new ArrayList<>();
        for (ChannelDoc channel : eligible) {
            if (channel.servesLevel(level)) {
                result.add(toChannel(n, channel, level, round, message));
            }
        }
        Contacts.Level members = who.level(level);
        if (members != null) {
            Set<String> seen = new LinkedHashSet<>();
            for (Contacts.Person person : members.members()) {
                if (person.complete() && seen.add(person.email().toLowerCase())) {
                    result.add(toEmail(n, List.of(person.email()), level, round, "person:" + person.email(),
                            message));
                }
            }
        }
        return result;
    }

    private MessageTemplates.Rendered render(NotificationDoc n, ReleaseView release, int level) {
        String link = properties.linkBase() + (n.releaseId != null ? "/api/releases/" + n.releaseId
                : "/api/notifications/" + n.id);
        MessageFields.EventFacts facts = new MessageFields.EventFacts(n.eventId, n.eventType, n.product, n.releaseId,
                n.actor, n.occurredAt == null ? null : n.occurredAt.toString(), n.severity.name(), n.data);
        return templates.render(templates.effective(n.product, n.eventType),
                MessageFields.values(facts, release, level, link));
    }

    private DeliveryDoc toChannel(NotificationDoc n, ChannelDoc channel, int level, int round,
            MessageTemplates.Rendered message) {
        DeliveryDoc d = base(n, channel.type, level, round, "c:" + channel.id, message);
        d.channelId = channel.id;
        if (channel.type == ChannelKind.EMAIL) {
            d.recipients = channel.recipients;
            d.destination = String.join(", ", channel.recipients);
            d.lane = SMTP_LANE;
        }
        else {
            d.destination = channel.name + " (" + hostOf(channel.url) + ")";
            d.lane = "channel:" + channel.id;
        }
        return d;
    }

    private DeliveryDoc toEmail(NotificationDoc n, List<String> recipients, int level, int round, String key,
            MessageTemplates.Rendered message) {
        DeliveryDoc d = base(n, ChannelKind.EMAIL, level, round, key, message);
        d.recipients = recipients;
        d.destination = String.join(", ", recipients);
        d.lane = SMTP_LANE;
        return d;
    }

    /**
     * A delivery with its message. Only an e-mail carries the HTML body: Slack and webhooks send the text, and the
     * HTML was a fifth of every other delivery's stored size.
     */
    private DeliveryDoc base(NotificationDoc n, ChannelKind channel, int level, int round, String destinationKey,
            MessageTemplates.Rendered message) {
        DeliveryDoc d = new DeliveryDoc();
        d.id = n.id + "|" + level + "|" + round + "|" + destinationKey;
        d.channel = channel;
        d.notificationId = n.id;
        d.eventType = n.eventType;
        d.releaseId = n.releaseId;
        d.product = n.product;
        d.level = level;
        d.round = round;
        d.status = DeliveryState.PENDING;
        d.tries = 0;
        Instant now = clock.instant();
        d.createdAt = now;
        d.nextAttemptAt = now;
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", n.eventId);
        event.put("type", n.eventType);
        event.put("releaseId", n.releaseId);
        event.put("product", n.product);
        event.put("occurredAt", n.occurredAt == null ? null : n.occurredAt.toString());
        event.put("actor", n.actor);
        event.put("data", n.data);
        String link = properties.linkBase() + (n.releaseId != null ? "/api/releases/" + n.releaseId
                : "/api/notifications/" + n.id);
        d.message = new DeliveryDoc.Message(message.title(), message.text(),
                channel == ChannelKind.EMAIL ? message.html() : null, link,
                n.severity.name(), event);
        return d;
    }

    /**
     * Deliveries stored: {@code reserved} were inserted now and claimed for this process's dispatcher before that;
     * {@code existing} are the others (stored by an earlier attempt to plan the same notification, or not reserved).
     */
    record Stored(List<DeliveryDoc> reserved, List<DeliveryDoc> existing) {
    }

    /** Stores the deliveries with one unordered insert; those stored before (same derived id) are left as they are. */
    private Stored store(List<DeliveryDoc> planned, boolean reserve) {
        List<DeliveryDoc> reserved = new ArrayList<>();
        List<DeliveryDoc> existing = new ArrayList<>();
        if (planned.isEmpty()) {
            return new Stored(reserved, existing);
        }
        boolean[] held = new boolean[planned.size()];
        for (int i = 0; i < planned.size(); i++) {
            held[i] = reserve && dispatcher.reserve(planned.get(i));
        }
        Set<Integer> duplicates = new java.util.HashSet<>();
        boolean stored = false;
        try {
            try {
                mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, DeliveryDoc.class).insert(planned).execute();
            }
            catch (BulkOperationException ex) {
                for (var error : ex.getErrors()) {
                    if (error.getCode() != DUPLICATE_KEY) {
                        throw ex;
                    }
                    // stored by an earlier attempt to plan this notification; the dispatcher's scan sends it
                    duplicates.add(error.getIndex());
                }
            }
            stored = true;
        }
        finally {
            for (int i = 0; i < planned.size(); i++) {
                DeliveryDoc d = planned.get(i);
                if (held[i] && (!stored || duplicates.contains(i))) {
                    dispatcher.unreserve(d);
                    held[i] = false;
                }
                if (stored) {
                    (held[i] ? reserved : existing).add(d);
                }
            }
        }
        return new Stored(reserved, existing);
    }

    private static String hostOf(String url) {
        try {
            return java.net.URI.create(url).getHost();
        }
        catch (RuntimeException ex) {
            return "?";
        }
    }

    /** Finds notifications that were stored but never planned (a signal lost to a restart, a failed attempt). */
    void scan() {
        if (!recovery.due()) {
            return;
        }
        try {
            Instant now = clock.instant();
            Query unrouted = Query.query(Criteria.where("routed").is(false).orOperator(
                    Criteria.where("routeLeaseUntil").is(null), Criteria.where("routeLeaseUntil").lt(now))).limit(500);
            unrouted.fields().include("_id", "receivedAt");
            for (NotificationDoc n : mongo.find(unrouted, NotificationDoc.class)) {
                // fresh ones are being planned from their signal already
                if (n.receivedAt == null || n.receivedAt.isBefore(now.minusSeconds(2))) {
                    submit(n.id);
                }
                else {
                    recovery.request(); // look again once it is no longer fresh
                }
            }
        }
        catch (RuntimeException ex) {
            log.warn("Scan for unrouted notifications failed: {}", ex.toString());
            recovery.request();
        }
    }

    @Override
    public void start() {
        pool = Executors.newFixedThreadPool(WORKERS, Workers.named("notification-router"));
        scanner = Executors.newSingleThreadScheduledExecutor(Workers.named("router-scan"));
        running = true;
        for (int i = 0; i < WORKERS; i++) {
            pool.execute(this::work);
        }
        long every = properties.delivery().recoveryInterval().toMillis();
        scanner.scheduleWithFixedDelay(this::scan, every / 2, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        running = false;
        scanner.shutdownNow();
        pool.shutdown();
        Workers.await(pool, properties.delivery().shutdownGrace());
        Work left;
        while ((left = queue.poll()) != null) {
            if (left.reserved() != null) {
                claims.release(NotificationDoc.class, left.id());
            }
        }
        queued.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
