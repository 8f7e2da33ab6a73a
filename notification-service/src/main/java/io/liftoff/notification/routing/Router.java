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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.liftoff.notification.channel.ChannelDoc;
import io.liftoff.notification.channel.ChannelService;
import io.liftoff.notification.channel.EmailAddresses;
import io.liftoff.notification.config.Claims;
import io.liftoff.notification.config.NotificationProperties;
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
 * signal was lost (a restart) is found again by a periodic scan of the store.
 */
@Component
public class Router implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Router.class);
    static final String SMTP_LANE = "smtp";

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
    }

    /** Plans the notification soon (a hint: the store is the truth). */
    public void submit(String notificationId) {
        if (running) {
            pool.execute(() -> route(notificationId));
        }
    }

    void route(String id) {
        if (!running) {
            return;
        }
        NotificationDoc n = null;
        try {
            n = claim(id);
            if (n != null) {
                plan(n);
            }
        }
        catch (RuntimeException ex) {
            log.warn("Routing notification {} failed; it is retried after its lease: {}", id, ex.toString());
        }
        finally {
            if (n != null) {
                claims.release(NotificationDoc.class, id);
            }
        }
    }

    private NotificationDoc claim(String id) {
        Instant now = clock.instant();
        Criteria unrouted = Criteria.where("routed").is(false)
                .orOperator(Criteria.where("routeLeaseUntil").is(null), Criteria.where("routeLeaseUntil").lt(now));
        Update lease = new Update().set("routeLeaseUntil", now.plus(properties.delivery().lease()))
                .set("routeLeaseOwner", owner);
        return claims.claim(NotificationDoc.class, id, unrouted,
                n -> !n.routed && (n.routeLeaseUntil == null || n.routeLeaseUntil.isBefore(now)), lease);
    }

    private void plan(NotificationDoc n) {
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
        List<DeliveryDoc> stored = store(planned);
        if (rule.escalate() && rule.startLevel() > 0) {
            startEscalation(n, rule, who, eligible);
        }
        Set<String> kinds = new LinkedHashSet<>();
        planned.forEach(d -> kinds.add(d.channel.name()));
        Update routed = new Update().set("routed", true).set("title", broadcast.title()).set("text", broadcast.text())
                .set("contactsSource", who.source().name()).set("channels", List.copyOf(kinds))
                .unset("routeLeaseUntil").unset("routeLeaseOwner");
        claims.update(NotificationDoc.class, n.id, "routeLeaseOwner", owner, routed);
        stored.forEach(dispatcher::enqueue);
    }

    /** The deliveries of one escalation level: the channels serving it and the level's reachable members. */
    public List<DeliveryDoc> planLevel(NotificationDoc n, int level, int round) {
        ReleaseView.Lookup lookup = releases.lookup(n.releaseId);
        Contacts who = contacts.contactsFor(n.product, n.releaseId, lookup);
        ReleaseView release = lookup.outcome() == ReleaseView.Lookup.Outcome.FOUND ? lookup.release() : null;
        List<ChannelDoc> eligible = channels.forEvent(n.product, n.releaseId, n.eventType);
        return store(levelDeliveries(n, release, who, eligible, level, round));
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

    private void startEscalation(NotificationDoc n, EscalationRule rule, Contacts who, List<ChannelDoc> eligible) {
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
        DeliveryDoc d = base(n, level, round, "c:" + channel.id, message);
        d.channel = channel.type;
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
        DeliveryDoc d = base(n, level, round, key, message);
        d.channel = ChannelKind.EMAIL;
        d.recipients = recipients;
        d.destination = String.join(", ", recipients);
        d.lane = SMTP_LANE;
        return d;
    }

    private DeliveryDoc base(NotificationDoc n, int level, int round, String destinationKey,
            MessageTemplates.Rendered message) {
        DeliveryDoc d = new DeliveryDoc();
        d.id = n.id + "|" + level + "|" + round + "|" + destinationKey;
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
        d.message = new DeliveryDoc.Message(message.title(), message.text(), message.html(), link,
                n.severity.name(), event);
        return d;
    }

    private List<DeliveryDoc> store(List<DeliveryDoc> planned) {
        List<DeliveryDoc> stored = new ArrayList<>();
        for (DeliveryDoc d : planned) {
            try {
                mongo.insert(d);
                stored.add(d);
            }
            catch (DuplicateKeyException ex) {
                // stored by an earlier attempt to plan this notification; the dispatcher's scan sends it
                stored.add(d);
            }
        }
        return stored;
    }

    private static String hostOf(String url) {
        try {
            return java.net.URI.create(url).getHost();
        }
        catch (RuntimeException ex) {
            return "?";
        }
    }

    /** Finds notifications that were stored but never planned (a signal lost to a restart). */
    void scan() {
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
            }
        }
        catch (RuntimeException ex) {
            log.warn("Scan for unrouted notifications failed: {}", ex.toString());
        }
    }

    @Override
    public void start() {
        pool = new ThreadPoolExecutor(4, 4, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                Workers.named("notification-router"));
        scanner = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Workers.named("router-scan"));
        running = true;
        long every = properties.delivery().recoveryInterval().toMillis();
        scanner.scheduleWithFixedDelay(this::scan, every / 2, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        running = false;
        scanner.shutdownNow();
        pool.shutdown();
        Workers.await(pool, properties.delivery().shutdownGrace());
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
