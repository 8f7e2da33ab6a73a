package io.liftoff.notification.event;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.bulk.BulkWriteError;

import io.liftoff.notification.config.GroupCommit;
import io.liftoff.notification.config.NotificationProblems;
import io.liftoff.notification.notification.NotificationDoc;
import io.liftoff.notification.routing.Router;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.BulkOperationException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Service;

/**
 * Takes an event in: one insert of the notification (its id is the event id, so the store refuses a repeat), then a
 * signal to the router. Nothing is sent here; routing and delivery run on their own workers, and whatever a signal
 * misses (a restart) the router finds again in the store. The notification is reserved for this process's router
 * before it is inserted, so the router plans it from memory instead of reading it back. Events that arrive at the
 * same moment share one insert (a group commit); each is answered only once it is stored.
 */
@Service
public class EventIntake {

    /** An event as received (the contract's envelope, without web types). */
    public record Envelope(String eventId, String type, String releaseId, String product, Instant occurredAt,
            String actor, Map<String, Object> data) {
    }

    public record Receipt(String eventId, String notificationId, boolean duplicate) {
    }

    private static final int DUPLICATE_KEY = 11000;

    private final MongoTemplate mongo;
    private final Router router;
    private final Clock clock;
    /** Events arriving at the same moment are inserted together; each request still waits for its own insert. */
    private final GroupCommit<NotificationDoc, Boolean> inserts = new GroupCommit<>(this::insertAll, 64);

    public EventIntake(MongoTemplate mongo, Router router, Clock clock) {
        this.mongo = mongo;
        this.router = router;
        this.clock = clock;
    }

    /**
     * Inserts the notifications with one unordered insert: true for each one stored, false for a repeated event id.
     * Any other failure fails the whole batch: its requests answer an error, whatever of it was stored is looked up
     * by the router, and a client that repeats such an event is told it is a duplicate.
     */
    private List<Boolean> insertAll(List<NotificationDoc> docs) {
        if (docs.size() == 1) {
            try {
                mongo.insert(docs.get(0));
                return List.of(Boolean.TRUE);
            }
            catch (DuplicateKeyException ex) {
                return List.of(Boolean.FALSE);
            }
        }
        List<Boolean> stored = new ArrayList<>(Collections.nCopies(docs.size(), Boolean.TRUE));
        try {
            mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, NotificationDoc.class).insert(docs).execute();
        }
        catch (BulkOperationException ex) {
            for (BulkWriteError error : ex.getErrors()) {
                if (error.getCode() != DUPLICATE_KEY) {
                    throw ex;
                }
                stored.set(error.getIndex(), Boolean.FALSE);
            }
        }
        return stored;
    }

    public Receipt receive(Envelope event) {
        NotificationDoc doc = notification(event, "type");
        boolean reserved = router.reserve(doc);
        boolean stored = false;
        try {
            stored = inserts.submit(doc);
        }
        finally {
            if (!stored) {
                notStored(doc, reserved);
            }
        }
        return stored ? routed(doc, reserved) : new Receipt(event.eventId(), event.eventId(), true);
    }

    /**
     * Takes several events in with one insert. Every envelope is checked before anything is stored, so a bad one
     * (its field named with its index, e.g. {@code events[3].type}) refuses the whole batch and stores nothing. The
     * receipts are in the order of the events; an event id seen before, or twice in the batch, is a duplicate.
     */
    public List<Receipt> receiveAll(List<Envelope> events) {
        List<NotificationDoc> docs = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            docs.add(notification(events.get(i), "events[" + i + "].type"));
        }
        boolean[] reserved = new boolean[docs.size()];
        for (int i = 0; i < docs.size(); i++) {
            reserved[i] = router.reserve(docs.get(i));
        }
        List<Boolean> stored = null;
        try {
            stored = insertAll(docs);
        }
        finally {
            for (int i = 0; i < docs.size(); i++) {
                if (stored == null || !stored.get(i)) {
                    notStored(docs.get(i), reserved[i]);
                }
            }
        }
        List<Receipt> receipts = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            NotificationDoc doc = docs.get(i);
            receipts.add(stored.get(i) ? routed(doc, reserved[i]) : new Receipt(doc.eventId, doc.eventId, true));
        }
        return receipts;
    }

    private NotificationDoc notification(Envelope event, String typeField) {
        EventType type = EventType.fromWire(event.type())
                .orElseThrow(() -> NotificationProblems.unknownEventType(event.type(), typeField));
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
        return doc;
    }

    /**
     * A repeat, or a failed insert: it may still be stored (by the first of two concurrent repeats, or by the part of
     * a failed batch that went through), so the router looks it up once in the store.
     */
    private void notStored(NotificationDoc doc, boolean reserved) {
        if (reserved) {
            router.unreserve(doc);
        }
        else {
            router.submit(doc.id);
        }
    }

    private Receipt routed(NotificationDoc doc, boolean reserved) {
        if (reserved) {
            router.submitReserved(doc);
        }
        else {
            router.submit(doc.id);
        }
        return new Receipt(doc.eventId, doc.id, false);
    }
}
