package io.liftoff.common.outbox;

import java.util.Map;

/** Delivers one event envelope to its consumer; throws when the consumer did not take it. */
@FunctionalInterface
public interface EventPublisher {

    void publish(Map<String, Object> envelope) throws EventDeliveryException;

    class EventDeliveryException extends Exception {

        public EventDeliveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
