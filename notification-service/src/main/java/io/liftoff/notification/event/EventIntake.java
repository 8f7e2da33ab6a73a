package io.liftoff.notification.event;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.liftoff.notification.config.NotificationProblems;
import io.liftoff.notification.notification.NotificationDoc;
import io.liftoff.notification.routing.Router;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Service;

/**
 * Takes an event in: one insert of the notification (its id is the event id, so the store refuses a repeat), then a
 * signal to the router. Nothing is sent here; routing and delivery run on their own workers, and whatever a signal
 * misses (a restart) the router finds again in the store.
 */
@Service
public class EventIntake {

    /** An event as received (the contract's envelope, without web types). */
    public record Envelope(String eventId, String type, String releaseId, String product, Instant occurredAt,
            String actor, Map<String, Object> data) {
    }

    public record Receipt(String eventId, String notificationId, boolean duplicate) {
    }

    private final MongoTemplate mongo;
    private final Router router;
    private final Clock clock;

    public EventIntake(MongoTemplate mongo, Router router, Clock clock) {
        this.mongo = mongo;
        this.router = router;
        this.clock = clock;
    }

    public Receipt receive(Envelope event) {
        EventType type = EventType.fromWire(event.type())
                .orElseThrow(() -> NotificationProblems.unknownEventType(event.type()));
        Map<String, Object> data = event.data() == null ? Map.of() : new LinkedHashMap<>(event.data());
        NotificationDoc doc = new NotificationDoc();
        doc.id = event.eventId();
        doc.eventId = event.eventId();
        doc.eventType = type.wireName();
        doc.releaseId = event.releaseId();
        doc.product = event.product();
        doc.occurredAt = event.occurredAt();
        doc.receivedAt = clock.instant();
        doc.actor = event.actor();
        doc.data = data;
        doc.severity = Severity.parse(data.get("severity")).orElse(type.defaultSeverity());
        try {
            mongo.insert(doc);
        }
        catch (DuplicateKeyException ex) {
            return new Receipt(event.eventId(), event.eventId(), true);
        }
        router.submit(doc.id);
        return new Receipt(event.eventId(), doc.id, false);
    }
}
