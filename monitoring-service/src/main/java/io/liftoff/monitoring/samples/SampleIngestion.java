package io.liftoff.monitoring.samples;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.monitoring.config.MonitoringProperties;
import io.liftoff.monitoring.monitoring.ChecksChanged;
import io.liftoff.monitoring.monitoring.EvaluationScheduler;
import io.liftoff.monitoring.monitoring.MonitoredCheck;
import io.liftoff.monitoring.monitoring.MonitoringService;
import io.liftoff.monitoring.monitoring.ReleaseMonitoring;
import io.liftoff.monitoring.monitoring.Units;

import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Takes a batch of pushed samples whole or not at all: every sample is checked (known metric, unit of the target's
 * dimension, finite value, timestamp in range) before anything is written. Accepted samples are converted to the
 * canonical unit and stored; a sample on the wrong side of a check's threshold makes that check evaluate at once.
 */
@Service
public class SampleIngestion {

    public static final URI TOO_MANY = ProblemTypes.of("too-many-samples");
    public static final URI UNKNOWN_METRIC = ProblemTypes.of("unknown-metric");
    public static final URI UNIT_MISMATCH = ProblemTypes.of("unit-mismatch");
    public static final URI INVALID_VALUE = ProblemTypes.of("invalid-sample-value");
    public static final URI TIMESTAMP_OUT_OF_RANGE = ProblemTypes.of("timestamp-out-of-range");

    private static final long PROFILE_TTL_NANOS = 2_000_000_000L;

    private final SampleStore store;
    private final MonitoringService monitoring;
    private final EvaluationScheduler scheduler;
    private final MonitoringProperties properties;
    private final Clock clock;
    private final Map<String, Profile> profiles = new ConcurrentHashMap<>();

    SampleIngestion(SampleStore store, MonitoringService monitoring, EvaluationScheduler scheduler,
            MonitoringProperties properties, Clock clock) {
        this.store = store;
        this.monitoring = monitoring;
        this.scheduler = scheduler;
        this.properties = properties;
        this.clock = clock;
    }

    /** One pushed sample as received. */
    public record Incoming(String metric, Double value, String unit, Instant timestamp, Map<String, String> labels) {
    }

    public record Receipt(int accepted, List<String> evaluating) {
    }

    public Receipt ingest(CurrentUser user, String releaseId, List<Incoming> samples) {
        if (samples.size() > properties.maxBatch()) {
            throw new ProblemException(HttpStatus.CONTENT_TOO_LARGE, TOO_MANY, "Too many samples",
                    "A batch holds at most " + properties.maxBatch() + " samples; this one has " + samples.size()
                            + ". Nothing was stored.")
                    .with("limit", properties.maxBatch());
        }
        Profile profile = profile(releaseId);
        if (profile == null || !user.canWrite(profile.product())) {
            throw new ProblemException(HttpStatus.NOT_FOUND, MonitoringService.NOT_STARTED, "Not monitored",
                    "Release '" + releaseId + "' is not monitored or not visible to you");
        }
        Instant now = clock.instant();
        Instant earliest = profile.deployedAt().minus(properties.earliestSample());
        Instant latest = now.plus(properties.futureTolerance());
        List<SampleStore.Point> points = new ArrayList<>(samples.size());
        Set<String> breached = new LinkedHashSet<>();
        for (int i = 0; i < samples.size(); i++) {
            Incoming sample = samples.get(i);
            required(sample, i);
            MetricProfile metric = profile.metrics().get(sample.metric());
            if (metric == null) {
                throw refused(UNKNOWN_METRIC, "Unknown metric", i, "metric", "No check of this release measures '"
                        + sample.metric() + "'; known: " + profile.metrics().keySet());
            }
            if (!Double.isFinite(sample.value())) {
                throw refused(INVALID_VALUE, "Invalid sample value", i, "value",
                        "Sample values must be finite numbers; got " + sample.value());
            }
            Units unit = Units.of(sample.unit());
            if (unit == null || (metric.dimension() != null && unit.dimension() != metric.dimension())) {
                throw refused(UNIT_MISMATCH, "Unit mismatch", i, "unit", "'" + sample.unit() + "' does not measure "
                        + sample.metric() + " (" + metric.dimension() + ", e.g. " + metric.exampleUnit() + ")");
            }
            if (sample.timestamp().isAfter(latest) || sample.timestamp().isBefore(earliest)) {
                throw refused(TIMESTAMP_OUT_OF_RANGE, "Timestamp out of range", i, "timestamp",
                        "Samples must be between " + earliest + " (deployment minus " + properties.earliestSample()
                                + ") and " + latest + "; got " + sample.timestamp());
            }
            double canonical = unit.toCanonical(sample.value());
            points.add(new SampleStore.Point(sample.metric(), sample.timestamp().toEpochMilli(), canonical));
            for (CheckProfile check : metric.checks()) {
                if (check.breachedBy(canonical)) {
                    breached.add(check.id());
                }
            }
        }
        store.write(releaseId, points);
        if (!breached.isEmpty()) {
            scheduler.evaluateNow(releaseId, breached);
        }
        return new Receipt(points.size(), List.copyOf(breached));
    }

    /** The contract's per-sample constraints, checked here in one pass (bean validation does not descend). */
    private static void required(Incoming sample, int index) {
        String missing = sample.metric() == null || sample.metric().isEmpty() ? "metric"
                : sample.value() == null ? "value" : sample.unit() == null ? "unit"
                        : sample.timestamp() == null ? "timestamp" : null;
        String message = "must not be null";
        if (missing == null && sample.metric().length() > 120) {
            missing = "metric";
            message = "size must be between 1 and 120";
        }
        if (missing == null && sample.labels() != null && (sample.labels().size() > 20
                || sample.labels().values().stream().anyMatch(value -> value != null && value.length() > 200))) {
            missing = "labels";
            message = "at most 20 labels of at most 200 characters";
        }
        if (missing != null) {
            String field = "samples[" + index + "]." + missing;
            throw new ProblemException(HttpStatus.BAD_REQUEST, ProblemTypes.VALIDATION, "Validation failed",
                    field + ": " + message)
                    .with("errors", List.of(Map.of("field", field, "message", message)));
        }
    }

    @EventListener
    void forget(ChecksChanged changed) {
        profiles.remove(changed.releaseId());
    }

    private static ProblemException refused(URI type, String title, int index, String field, String detail) {
        return ProblemException.unprocessable(type, title, "Sample " + index + ": " + detail + ". Nothing was stored.")
                .with("index", index).with("field", "samples[" + index + "]." + field);
    }

    // ---------------------------------------------------------------- what a release's checks expect

    private record Profile(String product, Instant deployedAt, Map<String, MetricProfile> metrics, long loadedAt) {
    }

    private record MetricProfile(Units.Dimension dimension, String exampleUnit, List<CheckProfile> checks) {
    }

    /** A check of the metric with its threshold in canonical units (null when unknown, e.g. no baseline yet). */
    private record CheckProfile(String id, boolean trigger, String comparator, Double canonicalThreshold) {

        boolean breachedBy(double canonical) {
            if (canonicalThreshold == null) {
                return false;
            }
            boolean holds = switch (comparator) {
                case "<" -> canonical < canonicalThreshold;
                case "<=" -> canonical <= canonicalThreshold;
                case ">" -> canonical > canonicalThreshold;
                default -> canonical >= canonicalThreshold;
            };
            return trigger == holds;
        }
    }

    private Profile profile(String releaseId) {
        Profile cached = profiles.get(releaseId);
        if (cached != null && System.nanoTime() - cached.loadedAt() < PROFILE_TTL_NANOS) {
            return cached;
        }
        ReleaseMonitoring release = monitoring.find(releaseId);
        if (release == null) {
            profiles.remove(releaseId);
            return null;
        }
        Map<String, List<MonitoredCheck>> byMetric = new HashMap<>();
        for (MonitoredCheck check : release.getChecks()) {
            if (check.isMeasurable()) {
                byMetric.computeIfAbsent(check.getMetric(), m -> new ArrayList<>()).add(check);
            }
        }
        Map<String, MetricProfile> metrics = new HashMap<>();
        byMetric.forEach((metric, checks) -> {
            Units.Dimension dimension = null;
            String example = "any";
            List<CheckProfile> checkProfiles = new ArrayList<>();
            for (MonitoredCheck check : checks) {
                Units unit = Units.of(check.getUnit());
                if (!check.isRelative() && unit != null && dimension == null) {
                    dimension = unit.dimension();
                    example = unit.symbol();
                }
                if (!check.isTerminal() && check.getQuery() == null) {
                    checkProfiles.add(new CheckProfile(check.getId(), check.isTrigger(), check.getComparator(),
                            canonicalThreshold(check, unit)));
                }
            }
            metrics.put(metric, new MetricProfile(dimension, example, checkProfiles));
        });
        Profile profile = new Profile(release.getProduct(), release.getDeployedAt(), metrics, System.nanoTime());
        profiles.put(releaseId, profile);
        return profile;
    }

    private static Double canonicalThreshold(MonitoredCheck check, Units unit) {
        if (check.isSustained()) {
            return null;
        }
        if (check.isRelative()) {
            if (check.getBaseline() == null) {
                return null;
            }
            return "RATIO".equals(check.getRelative()) ? check.getBaseline() * check.getThreshold()
                    : check.getBaseline() * (1 + check.getThreshold() / 100.0);
        }
        return unit == null ? check.getThreshold() : unit.toCanonical(check.getThreshold());
    }
}
