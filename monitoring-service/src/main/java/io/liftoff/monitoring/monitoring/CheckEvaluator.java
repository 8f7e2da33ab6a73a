package io.liftoff.monitoring.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

import org.springframework.stereotype.Component;

/**
 * Evaluates one check as of a moment: the value from a PromQL query when the check carries one, otherwise from the
 * pushed samples of its look-back (aggregated as the target says: p50/p95/p99, average; otherwise the worst value of
 * the last evaluation interval, or the latest when none is that recent); the
 * threshold from the target, or from the baseline for relative targets; and the verdict. No value, no baseline or an
 * unreachable source is INCONCLUSIVE, never PASS.
 */
@Component
public class CheckEvaluator {

    private final SampleSource samples;
    private final QuerySource prometheus;

    public CheckEvaluator(SampleSource samples, QuerySource prometheus) {
        this.samples = samples;
        this.prometheus = prometheus;
    }

    /** The evaluation, and a baseline found in the samples (to keep), if one was computed. */
    public record Outcome(EvaluationRecord record, Double baselineFound) {
    }

    public Outcome evaluate(String releaseId, Instant deployedAt, MonitoredCheck check, Instant asOf) {
        Units targetUnit = Units.of(check.getUnit());
        Double baselineFound = null;
        double threshold = check.getThreshold();
        if (check.isRelative()) {
            Double baseline = check.getBaseline();
            if (baseline == null) {
                baseline = baselineFromSamples(releaseId, deployedAt, check);
                baselineFound = baseline;
            }
            if (baseline == null) {
                return new Outcome(EvaluationRecord.inconclusive(asOf, source(check),
                        "No baseline: no pinned value and no " + check.getMetric() + " samples in the "
                                + check.getBaselinePeriod() + " before deployment"), null);
            }
            threshold = "RATIO".equals(check.getRelative()) ? baseline * check.getThreshold()
                    : baseline * (1 + check.getThreshold() / 100.0);
        }
        if (check.getQuery() != null) {
            return new Outcome(fromQuery(check, asOf, threshold, targetUnit), baselineFound);
        }
        return new Outcome(fromSamples(releaseId, check, asOf, threshold, targetUnit), baselineFound);
    }

    private EvaluationRecord fromQuery(MonitoredCheck check, Instant asOf, double threshold, Units targetUnit) {
        QuerySource.Answer answer = prometheus.query(check.getQuery(), asOf, check.worstIsHighest());
        if (answer.value() == null) {
            return EvaluationRecord.inconclusive(asOf, "PROMETHEUS", "Prometheus gave no value: " + answer.reason());
        }
        double value = answer.value();
        Units queryUnit = Units.of(check.getQueryUnit());
        if (queryUnit != null) {
            double canonical = queryUnit.toCanonical(value);
            value = !check.isRelative() && targetUnit != null && targetUnit.dimension() == queryUnit.dimension()
                    ? targetUnit.fromCanonical(canonical) : canonical;
        }
        return judge(check, asOf, value, threshold, "PROMETHEUS", 1, "query result", null);
    }

    private EvaluationRecord fromSamples(String releaseId, MonitoredCheck check, Instant asOf, double threshold,
            Units targetUnit) {
        Duration span = check.isSustained() ? check.sustainedDuration() : check.lookbackDuration();
        Instant from = asOf.minus(span);
        SampleSource.Series series = samples.read(releaseId, check.getMetric(), from, asOf);
        if (series.size() == 0) {
            return EvaluationRecord.inconclusive(asOf, "SAMPLES",
                    "No " + check.getMetric() + " samples in the last " + span);
        }
        double[] values = Arrays.copyOf(series.values(), series.size());
        if (!check.isRelative() && targetUnit != null) {
            for (int i = 0; i < values.length; i++) {
                values[i] = targetUnit.fromCanonical(values[i]);
            }
        }
        if (check.isSustained()) {
            boolean allHold = true;
            for (double value : values) {
                allHold &= holds(value, check.getComparator(), threshold);
            }
            boolean covered = series.times()[0] <= from.plus(check.interval()).toEpochMilli();
            double latest = values[values.length - 1];
            String what = allHold && !covered ? "held since " + Instant.ofEpochMilli(series.times()[0])
                    + ", not yet for " + span : (allHold ? "held for " + span : "did not hold throughout " + span);
            return judge(check, asOf, latest, threshold, "SAMPLES", values.length, what, allHold && covered);
        }
        String aggregation = check.getAggregation() == null ? "" : check.getAggregation().toLowerCase(Locale.ROOT);
        double value;
        String what;
        switch (aggregation) {
            case "p50", "p90", "p95", "p99" -> {
                value = percentile(values, Integer.parseInt(aggregation.substring(1)));
                what = aggregation + " of " + values.length + " samples";
            }
            case "average", "avg", "mean" -> {
                value = Arrays.stream(values).average().orElseThrow();
                what = "average of " + values.length + " samples";
            }
            default -> {
                // Gauges pushed by several instances interleave: the worst value since the last interval counts,
                // so that one breaching instance is not hidden by a calm one; without recent samples, the latest.
                long recentFrom = asOf.minus(check.interval()).toEpochMilli();
                boolean highIsWorse = check.worstIsHighest();
                Double worst = null;
                int recent = 0;
                for (int i = 0; i < values.length; i++) {
                    if (series.times()[i] > recentFrom) {
                        recent++;
                        if (worst == null || (highIsWorse ? values[i] > worst : values[i] < worst)) {
                            worst = values[i];
                        }
                    }
                }
                if (worst != null) {
                    value = worst;
                    what = "worst of " + recent + " samples in the last " + check.getEvaluationInterval();
                }
                else {
                    value = values[values.length - 1];
                    what = "latest of " + values.length + " samples";
                }
            }
        }
        return judge(check, asOf, value, threshold, "SAMPLES", values.length, what, null);
    }

    private EvaluationRecord judge(MonitoredCheck check, Instant asOf, double value, double threshold, String source,
            int count, String what, Boolean conditionOverride) {
        boolean condition = conditionOverride != null ? conditionOverride
                : holds(value, check.getComparator(), threshold);
        EvaluationRecord.Verdict verdict = check.isTrigger()
                ? (condition ? EvaluationRecord.Verdict.FAIL : EvaluationRecord.Verdict.PASS)
                : (condition ? EvaluationRecord.Verdict.PASS : EvaluationRecord.Verdict.FAIL);
        String unit = check.isRelative() ? "" : " " + (check.getUnit() == null ? "" : check.getUnit());
        String reason = String.format(Locale.ROOT, "%s %s = %s%s, %s %s %s%s", check.getMetric(), what,
                number(value), unit, condition ? "meets" : "does not meet", check.getComparator(), number(threshold),
                unit);
        return new EvaluationRecord(asOf, verdict, value, threshold, source, count, reason.trim());
    }

    private Double baselineFromSamples(String releaseId, Instant deployedAt, MonitoredCheck check) {
        SampleSource.Series series = samples.read(releaseId, check.getMetric(),
                deployedAt.minus(check.baselinePeriodDuration()), deployedAt.minusMillis(1));
        if (series.size() == 0) {
            return null;
        }
        return Arrays.stream(series.values(), 0, series.size()).average().orElseThrow();
    }

    /** Whether {@code value comparator threshold} holds. */
    static boolean holds(double value, String comparator, double threshold) {
        return switch (comparator) {
            case "<" -> value < threshold;
            case "<=" -> value <= threshold;
            case ">" -> value > threshold;
            case ">=" -> value >= threshold;
            default -> throw new IllegalStateException("Unknown comparator " + comparator);
        };
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, int percent) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String source(MonitoredCheck check) {
        return check.getQuery() != null ? "PROMETHEUS" : "SAMPLES";
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.4g", value);
    }
}
