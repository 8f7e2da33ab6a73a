package io.liftoff.checklist.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftoff.checklist.checklist.Comparator;
import io.liftoff.checklist.checklist.MetricTarget;
import io.liftoff.checklist.checklist.MetricTarget.Relative;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MarkdownMetricParsingTest {

    private final MetricTextParser parser = new MetricTextParser();

    static Stream<Arguments> targets() {
        return Stream.of(
                row("Error rates: <0.1%", "error_rate", Comparator.LT, 0.1, "%", null, null, null, null),
                row("Dashboard load times: <3 seconds", "dashboard_load_time", Comparator.LT, 3, "s", null, null,
                        null, null),
                row("System availability: >99.9%", "system_availability", Comparator.GT, 99.9, "%", null, null,
                        null, null),
                row("Memory usage >2x normal", "memory_usage", Comparator.GT, 2, "x", null, "normal",
                        Relative.RATIO, null),
                row("CPU utilization >80% sustained", "cpu_utilization", Comparator.GT, 80, "%", "sustained", null,
                        null, null),
                row("API error rate >1%", "api_error_rate", Comparator.GT, 1, "%", null, null, null, null),
                row("API response times: <200ms p95", "api_response_time", Comparator.LT, 200, "ms", "p95", null,
                        null, null),
                row("Database query time: <50ms average ✅", "database_query_time", Comparator.LT, 50, "ms",
                        "average", null, null, null),
                row("Downtime estimation confirmed: <5 minutes", "downtime_estimation_confirmed", Comparator.LT, 5,
                        "min", null, null, null, null),
                row("User complaints >10% increase", "user_complaints", Comparator.GT, 10, "%", null, "normal",
                        Relative.INCREASE, null),
                row("Login success rates: >99%", "login_success_rate", Comparator.GT, 99, "%", null, null, null,
                        null),
                row("Database performance: <50ms queries", "database_performance", Comparator.LT, 50, "ms", null,
                        null, null, null),
                row("Error rate: 0.01% (target: <0.1%) ✅", "error_rate", Comparator.LT, 0.1, "%", null, null, null,
                        0.01),
                row("p95 latency: 142ms (target: <200ms) ✅", "latency", Comparator.LT, 200, "ms", "p95", null, null,
                        142.0),
                row("API latency p95: <200ms (target: 142ms)", "api_latency", Comparator.LT, 200, "ms", "p95", null,
                        null, 142.0),
                row("Python test suite: 95%+ pass rate (568 fixes applied)", "python_test_suite", Comparator.GE, 95,
                        "%", null, null, null, null),
                row("Database queries: <50ms average", "database_query", Comparator.LT, 50, "ms", "average", null,
                        null, null),
                row("Open incidents: <= 3", "open_incidents", Comparator.LE, 3, "count", null, null, null, null),
                row("**Queue depth** ≥ 1,000", "queue_depth", Comparator.GE, 1000, "count", null, null, null, null),
                row("Cold start ≤ 2.5 sec", "cold_start", Comparator.LE, 2.5, "s", null, null, null, null),
                row("Page weight growth >15% above baseline", "page_weight_growth", Comparator.GT, 15, "%", null,
                        "baseline", Relative.INCREASE, null));
    }

    private static Arguments row(String text, String metric, Comparator comparator, double threshold, String unit,
            String aggregation, String baseline, Relative relative, Double observed) {
        return Arguments.of(text, new MetricTarget(metric, comparator, threshold, unit, aggregation, baseline,
                relative, observed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void readsTheStatedTarget(String text, MetricTarget expected) {
        assertThat(parser.parse(text)).contains(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "Success rate: 99.98% ✅",
            "Rate limiting verified (5 attempts/5 minutes)",
            "API documentation: 385 endpoints documented",
            "Code coverage: 75%+ Python, 70%+ TypeScript",
            "JWT token rotation tested (RS256, 15min lifetime)",
            "OAuth 2.1 implementation reviewed and verified",
            "Begin planning for v1.2.0",
            "Java 17+ installed",
            "Latency between >100ms and <200ms",
            "Backups: <2 hours old",
            "Disk usage <20GB",
            "Redirect -> 5 pages",
            "<br> tags stripped",
            "",
            "   "})
    void findsNoTargetWhereTheTextStatesNoneOrIsAmbiguous(String text) {
        assertThat(parser.parse(text)).isEmpty();
    }

    @Test
    void namesAMetricWithoutLabelValue() {
        assertThat(parser.parse("<5 minutes")).hasValueSatisfying(t -> assertThat(t.metric()).isEqualTo("value"));
    }
}
