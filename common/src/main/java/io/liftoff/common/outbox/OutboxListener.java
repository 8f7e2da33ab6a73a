package io.liftoff.common.outbox;

import java.util.List;
import java.util.Map;

/**
 * Runs inside the relay before events leave the service, for local projections that must never miss an event (they
 * see every event at least once, so they must be idempotent). The relay hands over all the events it is about to
 * deliver for one document at once, oldest first, so a projection can write them in one go: the busier the service,
 * the larger the batches and the fewer the writes per event. A failure stops the delivery and retries it.
 */
@FunctionalInterface
public interface OutboxListener {

    void beforeDelivery(String collection, Map<String, Object> envelope);

    /** The events of one document about to be delivered, in order; by default one {@link #beforeDelivery} each. */
    default void beforeDelivery(String collection, List<Map<String, Object>> envelopes) {
        envelopes.forEach(envelope -> beforeDelivery(collection, envelope));
    }
}
