package io.liftoff.monitoring.config;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of monitoring-service.
 *
 * @param publicUrl          this service's address as others reach it; evidence links point here
 * @param tick               how often the scheduler looks for due evaluations
 * @param evaluatorThreads   evaluations running at once
 * @param lease              how long a replica holds a check it evaluates
 * @param maxBatch           the most samples per push
 * @param earliestSample     how long before deployment a sample may be (baselines need such samples)
 * @param futureTolerance    how far in the future a sample's timestamp may be (clock skew)
 * @param recentEvaluations  evaluations kept per check for the chart
 * @param defaults           default check settings
 * @param prometheus         the Prometheus HTTP API
 * @param alertmanager       the Alertmanager webhook
 */
@Validated
@ConfigurationProperties("liftoff.monitoring")
public record MonitoringProperties(@DefaultValue("http://localhost:8083") URI publicUrl,
        @DefaultValue("1s") Duration tick, @DefaultValue("2") @Min(1) @Max(16) int evaluatorThreads,
        @DefaultValue("30s") Duration lease, @DefaultValue("1000") @Min(1) @Max(100000) int maxBatch,
        @DefaultValue("6h") Duration earliestSample, @DefaultValue("1m") Duration futureTolerance,
        @DefaultValue("60") @Min(1) @Max(1000) int recentEvaluations, @NotNull @DefaultValue Defaults defaults,
        @NotNull @DefaultValue Prometheus prometheus, @NotNull @DefaultValue Alertmanager alertmanager) {

    /**
     * @param evaluationInterval     time between evaluations of a check
     * @param initialDelay           wait after the window opens before the first evaluation
     * @param metricFailureLimit     consecutive failing evaluations before a METRIC check fails
     * @param triggerFailureLimit    consecutive evaluations with the condition before a TRIGGER fires
     * @param inconclusiveLimit      consecutive inconclusive evaluations before the check is INCONCLUSIVE
     * @param lookback               samples aggregated per evaluation
     * @param sustainedFor           how long a "sustained" condition must hold
     * @param baselinePeriod         the period before deployment averaged as baseline
     */
    public record Defaults(@DefaultValue("1m") Duration evaluationInterval, @DefaultValue("0s") Duration initialDelay,
            @DefaultValue("3") int metricFailureLimit, @DefaultValue("1") int triggerFailureLimit,
            @DefaultValue("5") int inconclusiveLimit, @DefaultValue("5m") Duration lookback,
            @DefaultValue("10m") Duration sustainedFor, @DefaultValue("1h") Duration baselinePeriod) {
    }

    /** @param url base URL of the Prometheus HTTP API; empty: checks with a query are INCONCLUSIVE */
    public record Prometheus(URI url, @DefaultValue("1s") Duration connectTimeout,
            @DefaultValue("2s") Duration readTimeout) {
    }

    /** @param sharedSecret the value Alertmanager sends in {@code X-Liftoff-Alertmanager-Secret}; empty: tokens only */
    public record Alertmanager(String sharedSecret) {
    }
}
