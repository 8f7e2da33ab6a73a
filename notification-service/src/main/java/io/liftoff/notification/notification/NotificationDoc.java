package io.liftoff.notification.notification;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.liftoff.notification.event.Severity;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One received event and what became of it. Its id is the event's id (a unique index), so a repeated event is
 * refused by the store itself. {@code routed} turns true once its deliveries are stored; until then a routing lease
 * lets one worker plan it.
 */
@Document("notifications")
public class NotificationDoc {

    @Id
    public String id;
    public String eventId;
    public String eventType;
    public String releaseId;
    public String product;
    public Instant occurredAt;
    public Instant receivedAt;
    public String actor;
    public Map<String, Object> data;
    public Severity severity;
    public boolean routed;
    public Instant routeLeaseUntil;
    public String routeLeaseOwner;
    public String title;
    public String text;
    public String contactsSource;
    public List<String> channels;
    public String ackBy;
    public Instant ackAt;
    public String ackNote;
}
