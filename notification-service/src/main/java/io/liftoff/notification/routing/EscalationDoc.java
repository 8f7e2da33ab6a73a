package io.liftoff.notification.routing;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The escalation timer of a notification, kept in the store so it survives a restart. A replica claims a due timer
 * with a lease before it notifies the next level, so each step is taken by one replica.
 */
@Document("escalations")
public class EscalationDoc {

    @Id
    public String id;
    public String product;
    public int startLevel;
    public int level;
    public int maxLevel;
    public long delayMillis;
    public String afterLastLevel;
    public int round;
    public int maxRounds;
    public boolean active;
    public Instant nextAt;
    public Instant leaseUntil;
    public String leaseOwner;
    public String stoppedReason;
}
