package io.liftoff.monitoring.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.liftoff.common.testing.Api;
import io.liftoff.monitoring.support.AbstractIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SampleBadInputIT extends AbstractIntegrationTest {

    /** Each bad batch starts with a good sample, so that a partial write would show. */
    static Stream<Arguments> badBatches() {
        return Stream.of(
                Arguments.of("unknown metric", List.of(s("coffee_temperature", "60", "count", 0)), 422,
                        "unknown-metric"),
                Arguments.of("wrong unit for the target", List.of(s("error_rate", "12", "ms", 0)), 422,
                        "unit-mismatch"),
                Arguments.of("unit nobody knows", List.of(s("error_rate", "12", "furlongs", 0)), 400,
                        "malformed-body"),
                Arguments.of("NaN as a string", List.of(s("error_rate", "\"NaN\"", "%", 0)), 422,
                        "invalid-sample-value"),
                Arguments.of("NaN as a bare token", List.of(s("error_rate", "NaN", "%", 0)), 400, "malformed-body"),
                Arguments.of("infinite value", List.of(s("error_rate", "1e400", "%", 0)), 422,
                        "invalid-sample-value"),
                Arguments.of("negative infinity as a string", List.of(s("error_rate", "\"-Infinity\"", "%", 0)),
                        422, "invalid-sample-value"),
                Arguments.of("timestamp in the future", List.of(s("error_rate", "0.01", "%", 3600)), 422,
                        "timestamp-out-of-range"),
                Arguments.of("timestamp long before deployment", List.of(s("error_rate", "0.01", "%", -86_400)), 422,
                        "timestamp-out-of-range"),
                Arguments.of("value missing", List.of("{\"metric\":\"error_rate\",\"unit\":\"%\",\"timestamp\":\"%NOW%\"}"),
                        400, "validation-failed"),
                Arguments.of("metric missing", List.of("{\"value\":1,\"unit\":\"%\",\"timestamp\":\"%NOW%\"}"),
                        400, "validation-failed"),
                Arguments.of("unit missing", List.of("{\"metric\":\"error_rate\",\"value\":1,\"timestamp\":\"%NOW%\"}"),
                        400, "validation-failed"),
                Arguments.of("label value too long", List.of("{\"metric\":\"error_rate\",\"value\":1,\"unit\":\"%\","
                        + "\"timestamp\":\"%NOW%\",\"labels\":{\"pod\":\"" + "p".repeat(201) + "\"}}"), 400,
                        "validation-failed"),
                Arguments.of("timestamp not a time", List.of(
                        "{\"metric\":\"error_rate\",\"value\":1,\"unit\":\"%\",\"timestamp\":\"yesterday\"}"), 400,
                        "malformed-body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBatches")
    void aBadSampleRefusesTheWholeBatch(String name, List<String> bad, int status, String problem) {
        String id = monitoredRelease(CLOCK.instant().minus(Duration.ofMinutes(5)));
        List<String> batch = new ArrayList<>();
        batch.add(sample("error_rate", 0.01, "%", CLOCK.instant()));
        bad.forEach(sample -> batch.add(sample.replace("%NOW%", CLOCK.instant().toString())));

        Api.Response response = push(id, eli(), batch.toArray(String[]::new));

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.problemType()).isEqualTo("https://liftoff.dev/problems/" + problem);
        if (status == 422) {
            assertThat(response.json().path("index").asInt()).isEqualTo(1);
        }
        assertThat(samples.count(id)).isZero();
    }

    @Test
    void aBatchOverTheSizeLimitIsRefusedWhole() {
        String id = monitoredRelease(CLOCK.instant().minus(Duration.ofMinutes(5)));
        String[] batch = new String[5000];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = "{\"metric\":\"error_rate\",\"value\":0.01,\"unit\":\"%\",\"timestamp\":\"" + CLOCK.instant()
                    + "\"}";
        }

        Api.Response response = push(id, eli(), batch);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.problemType()).isEqualTo("https://liftoff.dev/problems/too-many-samples");
        assertThat(response.json().path("limit").asInt()).isEqualTo(1000);
        assertThat(samples.count(id)).isZero();
    }

    @Test
    void samplesInAnotherUnitOfTheSameKindAreConvertedToTheTargetsUnit() {
        Instant deployed = CLOCK.instant().minus(Duration.ofMinutes(5));
        String id = monitoredRelease(deployed);
        String dashboard = checkId(id, "user-experience/dashboard-load-times");

        Api.Response response = push(id, eli(), sample("dashboard_load_time", 2500, "ms", CLOCK.instant()));
        monitoring.evaluate(id, List.of(dashboard), true);

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().path("accepted").asInt()).isEqualTo(1);
        assertThat(monitoring.find(id).check(dashboard).getCurrentValue()).isEqualTo(2.5);
        assertThat(monitoring.find(id).check(dashboard).getVerdict()).isEqualTo("PASS");
    }

    @Test
    void pushingToAReleaseThatIsNotMonitoredAnswers404() {
        Api.Response response = push("never-monitored", eli(), sample("error_rate", 0.01, "%", CLOCK.instant()));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.problemType()).isEqualTo("https://liftoff.dev/problems/monitoring-not-started");
    }

    private static String s(String metric, String value, String unit, long offsetSeconds) {
        return "{\"metric\":\"" + metric + "\",\"value\":" + value + ",\"unit\":\"" + unit + "\",\"timestamp\":\""
                + CLOCK.instant().plusSeconds(offsetSeconds) + "\"}";
    }
}
