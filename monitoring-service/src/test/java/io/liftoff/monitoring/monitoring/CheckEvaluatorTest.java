package io.liftoff.monitoring.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.liftoff.monitoring.config.MonitoringProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckEvaluatorTest {

    private static final Instant DEPLOYED = Instant.parse("2026-11-25T00:00:00Z");
    private static final Instant NOW = DEPLOYED.plus(Duration.ofMinutes(30));
    private static final MonitoringProperties.Defaults DEFAULTS = MonitoringFixtures.DEFAULTS;

    @ParameterizedTest(name = "{0} {1} -> {3} {4}")
    @CsvSource({ "1, s, 1000, ms", "90, s, 1.5, min", "0.25, ratio, 25, %", "3, min, 180000, ms",
            "12, count, 12, count", "2.5, x, 2.5, x" })
    void unitsOfOneKindConvertIntoEachOther(double value, String from, double expected, String to) {
        Units source = Units.of(from);
        Units target = Units.of(to);

        assertThat(source.dimension()).isEqualTo(target.dimension());
        assertThat(target.fromCanonical(source.toCanonical(value))).isCloseTo(expected,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void percentilesAreNearestRank() {
        double[] values = { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 };

        assertThat(CheckEvaluator.percentile(values, 95)).isEqualTo(100);
        assertThat(CheckEvaluator.percentile(values, 50)).isEqualTo(50);
        assertThat(CheckEvaluator.percentile(new double[] { 7 }, 99)).isEqualTo(7);
    }

    @Test
    void ap95TargetIsJudgedOnThePercentileOfTheLookback() {
        CheckEvaluator evaluator = new CheckEvaluator(samples(120, 130, 140, 150, 900), (q, at, high) -> null);
        MonitoredCheck check = check("METRIC", "api_response_time", "<", 200, "ms", "p95", null);

        EvaluationRecord record = evaluator.evaluate("r", DEPLOYED, check, NOW).record();

        assertThat(record.verdict()).isEqualTo(EvaluationRecord.Verdict.FAIL);
        assertThat(record.value()).isEqualTo(900);
        assertThat(record.samples()).isEqualTo(5);
    }

    @Test
    void aTriggerFailsWhenItsConditionHolds() {
        CheckEvaluator evaluator = new CheckEvaluator(samples(0.5, 2.0), (q, at, high) -> null);
        MonitoredCheck trigger = check("TRIGGER", "api_error_rate", ">", 1, "%", null, null);

        EvaluationRecord record = evaluator.evaluate("r", DEPLOYED, trigger, NOW).record();

        assertThat(record.verdict()).isEqualTo(EvaluationRecord.Verdict.FAIL);
        assertThat(record.reason()).contains("meets > 1 %");
    }

    @Test
    void anUnreachableQuerySourceIsInconclusiveNeverPass() {
        CheckEvaluator evaluator = new CheckEvaluator(samples(10),
                (q, at, high) -> QuerySource.Answer.none("circuit breaker open"));
        MonitoredCheck check = check("METRIC", "error_rate", "<", 0.1, "%", null, null);
        check.setQuery("sum(rate(errors[5m]))");

        EvaluationRecord record = evaluator.evaluate("r", DEPLOYED, check, NOW).record();

        assertThat(record.verdict()).isEqualTo(EvaluationRecord.Verdict.INCONCLUSIVE);
        assertThat(record.reason()).contains("circuit breaker open");
    }

    @ParameterizedTest(name = "METRIC error_rate < 0.1 % with query value {0} -> {1}")
    @CsvSource({ "0.05, PASS", "0.1, FAIL", "0.7, FAIL" })
    void aQueryResultIsJudgedByTheTargetsComparator(double value, String verdict) {
        CheckEvaluator evaluator = new CheckEvaluator(samples(), (q, at, high) -> QuerySource.Answer.of(value));
        MonitoredCheck check = check("METRIC", "error_rate", "<", 0.1, "%", null, null);
        check.setQuery("sum(rate(errors[5m]))");

        EvaluationRecord record = evaluator.evaluate("r", DEPLOYED, check, NOW).record();

        assertThat(record.verdict()).isEqualTo(EvaluationRecord.Verdict.valueOf(verdict));
        assertThat(record.value()).isEqualTo(value);
    }

    @Test
    void aQueryTriggerFiresOnlyWhenItsConditionHolds() {
        MonitoredCheck trigger = check("TRIGGER", "api_error_rate", ">", 5, "%", null, null);
        trigger.setQuery("sum(rate(errors[5m]))");

        assertThat(new CheckEvaluator(samples(), (q, at, high) -> QuerySource.Answer.of(2)).evaluate("r", DEPLOYED,
                trigger, NOW).record().verdict()).isEqualTo(EvaluationRecord.Verdict.PASS);
        assertThat(new CheckEvaluator(samples(), (q, at, high) -> QuerySource.Answer.of(9)).evaluate("r", DEPLOYED,
                trigger, NOW).record().verdict()).isEqualTo(EvaluationRecord.Verdict.FAIL);
    }

    @Test
    void inconclusiveEvaluationsReachTheLimitAndTheCheckIsInconclusive() {
        ReleaseMonitoring monitoring = ReleaseMonitoring.start(new ReleaseSnapshot("r", "p", "1", "MONITORING",
                DEPLOYED, List.of(new ReleaseSnapshot.WindowSpec("w", "W", Duration.ofHours(2))),
                List.of(new ReleaseSnapshot.ItemSpec("i", "w/i", "Error rates: <0.1%", "METRIC", "w",
                        new ReleaseSnapshot.Target("error_rate", "<", 0.1, "%", null, null)))), DEFAULTS, DEPLOYED);
        MonitoredCheck check = monitoring.check("i");
        MonitoringProperties properties = MonitoringFixtures.PROPERTIES;

        for (int i = 1; i <= 5; i++) {
            monitoring.applyEvaluation(check, EvaluationRecord.inconclusive(DEPLOYED.plusSeconds(60L * i), "SAMPLES",
                    "No samples"), null, DEPLOYED.plusSeconds(60L * i), properties, "http://m/e");
            assertThat(check.getVerdict()).isEqualTo(i < 5 ? "PENDING" : "INCONCLUSIVE");
        }
        assertThat(check.getNextEvaluationAt()).isEqualTo(DEPLOYED.plusSeconds(360));
    }

    private static SampleSource samples(double... values) {
        return (release, metric, from, to) -> {
            long[] times = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                times[i] = to.toEpochMilli() - (values.length - i) * 1000L;
            }
            return new SampleSource.Series(times, values);
        };
    }

    private static MonitoredCheck check(String kind, String metric, String comparator, double threshold, String unit,
            String aggregation, String relative) {
        return MonitoredCheck.of(new ReleaseSnapshot.ItemSpec("c", "k", "text", kind, "w",
                new ReleaseSnapshot.Target(metric, comparator, threshold, unit, aggregation, relative)), "w",
                DEFAULTS);
    }
}
