package io.liftoff.notification.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One message to one destination, stored before it is sent. Its id is derived from the notification, the level,
 * the round and the destination, so planning the same notification twice stores nothing twice. A worker claims it
 * with a lease; every attempt is appended to {@code log}.
 */
@Document("deliveries")
public class DeliveryDoc {

    @Id
    public String id;
    public String notificationId;
    public String eventType;
    public String releaseId;
    public String product;
    public ChannelKind channel;
    public String channelId;
    /** Where it goes, without secrets: an e-mail address, a host. */
    public String destination;
    /** E-mail recipient(s). */
    public List<String> recipients;
    /** The breaker and worker lane of the destination. */
    public String lane;
    public int level;
    public int round;
    public DeliveryState status;
    /** Attempts since the delivery was (re)queued; the retry budget counts these. */
    public int tries;
    public Instant nextAttemptAt;
    public Instant leaseUntil;
    public String leaseOwner;
    public Instant createdAt;
    public Instant deliveredAt;
    public Message message;
    public List<AttemptRecord> log = new ArrayList<>();

    /** The rendered message and the event it tells about. */
    public record Message(String title, String text, String html, String link, String severity,
            Map<String, Object> event) {
    }

    public record AttemptRecord(Instant at, String outcome, Integer statusCode, String error, long durationMs) {
    }

    public enum ChannelKind {
        SLACK, EMAIL, WEBHOOK
    }

    public enum DeliveryState {
        PENDING, DELIVERED, DEAD_LETTER
    }
}
