package io.liftoff.notification.channel;

import java.time.Instant;
import java.util.List;

import io.liftoff.notification.delivery.DeliveryDoc.ChannelKind;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.mapping.Document;

/** A configured destination of a product (or of one release). {@code url} and {@code secret} are never returned. */
@Document("channels")
public class ChannelDoc {

    @Id
    public String id;
    @Version
    public Long version;
    public String product;
    public String releaseId;
    public String name;
    public ChannelKind type;
    public String url;
    public String secret;
    public List<String> recipients;
    public List<String> eventTypes;
    public List<Integer> levels;
    public boolean enabled;
    public String createdBy;
    public Instant updatedAt;

    public boolean receives(String eventType) {
        return enabled && (eventTypes == null || eventTypes.isEmpty() || eventTypes.contains(eventType));
    }

    public boolean isBroadcast() {
        return levels == null || levels.isEmpty();
    }

    public boolean servesLevel(int level) {
        return levels != null && levels.contains(level);
    }

    public boolean appliesTo(String releaseIdOfEvent) {
        return releaseId == null || releaseId.equals(releaseIdOfEvent);
    }
}
