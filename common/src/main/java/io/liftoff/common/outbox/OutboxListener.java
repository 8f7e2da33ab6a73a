package io.liftoff.common.outbox;

import java.util.Map;

/**
 * Runs inside the relay before an event leaves the service, for local projections that must never miss an event
 * (they see every event at least once, so they must be idempotent). A failure stops the delivery and retries it.
 */
@FunctionalInterface
public interface OutboxListener {

    void beforeDelivery(String collection, Map<String, Object> envelope);
}
