package io.liftoff.notification.config;

import java.time.Duration;
import java.util.List;

import io.liftoff.notification.routing.EscalationRule;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of notification-service ({@code liftoff.notification.*}).
 *
 * @param linkBase   the base of the links put in messages (the gateway), e.g. {@code http://localhost:8080}
 * @param mailFrom   the sender of e-mails
 * @param contactsTtl how long a release read from checklist-service (its contacts and items) is reused
 * @param configTtl  how long another replica may use channels, overrides and templates before it sees a change
 * @param delivery   workers, retries, timeouts
 * @param breaker    the circuit breaker kept per destination
 * @param escalation the escalation rules and their timing
 * @param addresses  which webhook hosts are allowed although private (tests, the local demo receiver)
 */
@Validated
@ConfigurationProperties("liftoff.notification")
public record NotificationProperties(@DefaultValue("http://localhost:8080") String linkBase,
        @DefaultValue("liftoff@localhost") String mailFrom, @DefaultValue("30s") Duration contactsTtl,
        @DefaultValue("2s") Duration configTtl,
        @Valid @DefaultValue Delivery delivery, @Valid @DefaultValue Breaker breaker,
        @Valid @DefaultValue Escalation escalation, @Valid @DefaultValue Addresses addresses) {

    /**
     * @param workers               threads sending deliveries (shared by every destination)
     * @param perDestination        sends in flight at once to one destination, so a slow one holds few workers
     * @param maxAttempts           attempts before a delivery is dead-lettered
     * @param initialBackoff        the wait after the first failure; doubled each time, with ±20 % jitter
     * @param maxBackoff            the longest wait between attempts
     * @param lease                 how long a claimed delivery is reserved for its worker (a dead worker's claim
     *                              expires and another takes over)
     * @param connectTimeout        HTTP connect timeout
     * @param readTimeout           HTTP answer timeout
     * @param recoveryInterval      how often the store is scanned for due work (restarts, retries, lost signals);
     *                              on the embedded store a tick reads the store only at start, after a lost signal
     *                              or a failed step, and otherwise every 30th tick ({@link RecoveryScan})
     * @param shutdownGrace         how long a stopping service waits for the sends in flight
     * @param batchLinger           how long the router and the attempt recorder wait for more work to join a batch
     *                              (a batch of one costs as many round trips to the store as a batch of a hundred); it
     *                              adds at most this much to the time from intake to delivery. 30 ms against 10 ms,
     *                              rounds alternating in one run of the single-event benchmark: 0.61 against 0.64 ms
     *                              of CPU per event, p99 121 against 92 ms
     */
    public record Delivery(@DefaultValue("8") @Min(1) int workers, @DefaultValue("2") @Min(1) int perDestination,
            @DefaultValue("8") @Min(1) int maxAttempts, @DefaultValue("2s") @NotNull Duration initialBackoff,
            @DefaultValue("5m") @NotNull Duration maxBackoff, @DefaultValue("60s") @NotNull Duration lease,
            @DefaultValue("2s") @NotNull Duration connectTimeout, @DefaultValue("10s") @NotNull Duration readTimeout,
            @DefaultValue("2s") @NotNull Duration recoveryInterval,
            @DefaultValue("10s") @NotNull Duration shutdownGrace,
            @DefaultValue("30ms") @NotNull Duration batchLinger) {
    }

    /**
     * @param failureRateThreshold percentage of failed sends that opens a destination's breaker
     * @param minimumCalls         sends counted before the rate is judged
     * @param windowSize           the last sends the rate is computed over
     * @param openFor              how long an open breaker refuses sends before it lets a trial through
     */
    public record Breaker(@DefaultValue("50") float failureRateThreshold, @DefaultValue("5") int minimumCalls,
            @DefaultValue("10") int windowSize, @DefaultValue("30s") Duration openFor) {
    }

    /**
     * @param defaultDelay    the wait for an acknowledgement before the next level (per rule overridable)
     * @param pollInterval    how often due escalations are looked for
     * @param lease           how long one replica holds an escalation while it advances it
     * @param rules           rules per event type and severity; the built-in ones apply when empty
     */
    public record Escalation(@DefaultValue("5m") Duration defaultDelay, @DefaultValue("1s") Duration pollInterval,
            @DefaultValue("30s") Duration lease, @DefaultValue List<@Valid EscalationRule> rules) {
    }

    /**
     * @param allowedHosts hosts, IP addresses or CIDR ranges a webhook may target even though they are loopback,
     *                     private or link-local, each optionally with the only port allowed ({@code 127.0.0.1:8085},
     *                     the local platform's demo receiver); empty in production
     */
    public record Addresses(@DefaultValue List<String> allowedHosts) {
    }
}
