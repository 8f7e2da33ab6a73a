package io.liftoff.checklist.checklist;

/**
 * A number a METRIC or TRIGGER item states: {@code metric comparator threshold unit}, e.g.
 * {@code api_error_rate > 1 %}. {@code aggregation} is {@code p95}, {@code p99}, {@code average} or
 * {@code sustained} when the text says so; {@code baseline} is {@code normal} for relative targets
 * ({@code >2x normal}, {@code >10% increase}); {@code relative} tells how the threshold relates to the
 * baseline ({@code RATIO} for "2x normal", {@code INCREASE} for "10% increase"), null for absolute targets.
 * {@code observed} is a value the text reports next to the target ("142ms (target: <200ms)").
 */
public record MetricTarget(String metric, Comparator comparator, double threshold, String unit, String aggregation,
        String baseline, Relative relative, Double observed) {

    public enum Relative {
        RATIO, INCREASE
    }
}
