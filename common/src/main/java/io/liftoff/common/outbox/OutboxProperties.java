package io.liftoff.common.outbox;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The outbox relay of a service.
 *
 * @param enabled        run the relay (default true)
 * @param consumerUrl    where every event is POSTed (notification-service's {@code /api/events})
 * @param consumers      further consumers, each with the event types it takes (all when none are listed); an event
 *                       leaves the outbox once every consumer that takes it has accepted it
 * @param collections    the aggregate collections whose documents carry an {@code outbox}
 * @param versionField   the optimistic-locking field the relay bumps so concurrent writers re-read
 * @param pollInterval   the longest the relay sleeps between passes (hints and due retries wake it earlier)
 * @param sweepInterval  how often every collection is searched for due events (recovery after a crash; scans)
 * @param lease          how long a claimed document stays claimed; an expired claim is taken over
 * @param initialBackoff first retry delay after a failed delivery, doubled per attempt with jitter
 * @param maxBackoff     the longest retry delay
 * @param connectTimeout connect timeout of the delivery call
 * @param readTimeout    read timeout of the delivery call
 * @param workers        relay threads; each document is relayed by one of them at a time, in order
 * @param linger         how long a hinted document waits before it is claimed, so that the events written to it
 *                       meanwhile leave with the same claim (one claim and one release per document instead of per
 *                       event); 0 claims at once. Default 50 ms: events are asynchronous, and a busy document pays
 *                       for its outbox once per linger instead of once per change
 * @param batch          POST the main consumer's events several at a time to {@code <consumer-url>/batch}
 *                       (notification-service's batch intake) instead of one request per event
 */
@ConfigurationProperties("liftoff.outbox")
public record OutboxProperties(@DefaultValue("true") boolean enabled,
        @DefaultValue("http://localhost:8084/api/events") URI consumerUrl, @DefaultValue List<Consumer> consumers,
        @DefaultValue List<String> collections,
        @DefaultValue("version") String versionField, @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("30s") Duration sweepInterval,
        @DefaultValue("30s") Duration lease, @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("5m") Duration maxBackoff, @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("5s") Duration readTimeout, @DefaultValue("4") int workers,
        @DefaultValue("50ms") Duration linger, @DefaultValue("false") boolean batch) {

    /** A further consumer of this service's events: its URL and the event types it takes (empty: all). */
    public record Consumer(URI url, @DefaultValue List<String> types) {

        public boolean takes(Object type) {
            return types.isEmpty() || types.contains(String.valueOf(type));
        }
    }
}
