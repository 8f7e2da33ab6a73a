package io.liftoff.common.outbox;

import java.util.List;
import java.util.Map;

/** Delivers event envelopes to their consumers; throws when a consumer did not take one. */
@FunctionalInterface
public interface EventPublisher {

    void publish(Map<String, Object> envelope) throws EventDeliveryException;

    /**
     * Delivers the envelopes in order and answers how many of them, from the first, were delivered, with the failure
     * that stopped the rest. By default one {@link #publish} each; a publisher that can send several in one request
     * overrides it (all or none of them then count as delivered: consumers deduplicate on {@code eventId}).
     */
    default Outcome publishAll(List<Map<String, Object>> envelopes) {
        for (int i = 0; i < envelopes.size(); i++) {
            try {
                publish(envelopes.get(i));
            }
            catch (EventDeliveryException ex) {
                return new Outcome(i, ex);
            }
        }
        return new Outcome(envelopes.size(), null);
    }

    /** How many envelopes were delivered, from the first; the failure that stopped the rest, or null. */
    record Outcome(int delivered, EventDeliveryException failure) {
    }

    class EventDeliveryException extends Exception {

        public EventDeliveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
