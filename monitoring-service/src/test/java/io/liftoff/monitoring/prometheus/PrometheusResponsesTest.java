package io.liftoff.monitoring.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import io.liftoff.monitoring.monitoring.QuerySource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Answers recorded from a real Prometheus 2.42 (Debian's package) {@code /api/v1/query}. */
class PrometheusResponsesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aSingleSeriesGivesItsValue() throws IOException {
        assertThat(PrometheusQuerySource.parse(recorded("vector-single.json"), true).value()).isEqualTo(1.0);
    }

    @Test
    void ofSeveralSeriesTheWorstCountsForTheCheck() throws IOException {
        assertThat(PrometheusQuerySource.parse(recorded("vector-many.json"), true).value()).isEqualTo(113.0);
        assertThat(PrometheusQuerySource.parse(recorded("vector-many.json"), false).value()).isEqualTo(1.0);
    }

    @Test
    void aNanSeriesOfAQuantileIsSkippedAndTheOthersCount() throws IOException {
        assertThat(PrometheusQuerySource.parse(recorded("vector-quantiles.json"), true).value()).isEqualTo(0.095);
    }

    @Test
    void aScalarResultGivesItsValue() throws IOException {
        assertThat(PrometheusQuerySource.parse(recorded("scalar.json"), true).value()).isEqualTo(1.0);
    }

    @Test
    void noSeriesOrAnErrorGiveNoValueWithTheReason() throws IOException {
        QuerySource.Answer empty = PrometheusQuerySource.parse(recorded("vector-empty.json"), true);
        assertThat(empty.value()).isNull();
        assertThat(empty.reason()).isEqualTo("the query returned no series");
        QuerySource.Answer error = PrometheusQuerySource.parse(recorded("error-bad-data.json"), true);
        assertThat(error.value()).isNull();
        assertThat(error.reason()).contains("error").contains("parse error");
    }

    static JsonNode recorded(String name) throws IOException {
        return JSON.readTree(text(name));
    }

    static String text(String name) throws IOException {
        try (InputStream in = PrometheusResponsesTest.class.getResourceAsStream("/prometheus/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
