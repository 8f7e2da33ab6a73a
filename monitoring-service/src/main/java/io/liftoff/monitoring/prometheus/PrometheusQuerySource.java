package io.liftoff.monitoring.prometheus;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.Locale;

import io.liftoff.monitoring.config.MonitoringProperties;
import io.liftoff.monitoring.monitoring.QuerySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * PromQL instant queries ({@code GET /api/v1/query?query=&time=}) against the configured Prometheus HTTP API, with
 * connect and read timeouts and the {@code prometheus} circuit breaker: a slow or failing Prometheus trips it, and an
 * open breaker answers at once without a thread waiting. Every failure is an answer without a value, which makes the
 * evaluation INCONCLUSIVE, never PASS. Of several series the worst value counts.
 */
@Component
class PrometheusQuerySource implements QuerySource {

    private static final Logger log = LoggerFactory.getLogger(PrometheusQuerySource.class);

    private final RestClient client;
    private final URI baseUrl;
    private final CircuitBreaker breaker;

    PrometheusQuerySource(MonitoringProperties properties, RestClient.Builder builder,
            CircuitBreakerFactory<?, ?> breakers) {
        MonitoringProperties.Prometheus prometheus = properties.prometheus();
        this.baseUrl = prometheus.url();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(prometheus.connectTimeout()).build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(prometheus.readTimeout());
        this.client = builder.clone().requestFactory(factory).build();
        this.breaker = breakers.create("prometheus");
    }

    @Override
    public Answer query(String promql, Instant at, boolean worstIsHighest) {
        if (baseUrl == null) {
            return Answer.none("no Prometheus configured (liftoff.monitoring.prometheus.url)");
        }
        URI uri = UriComponentsBuilder.fromUri(baseUrl).path("/api/v1/query").queryParam("query", "{q}")
                .queryParam("time", "{t}")
                .buildAndExpand(promql, String.format(Locale.ROOT, "%.3f", at.toEpochMilli() / 1000.0)).encode()
                .toUri();
        return breaker.run(() -> parse(client.get().uri(uri).retrieve().body(JsonNode.class), worstIsHighest),
                failure -> {
                    String reason = describe(failure);
                    log.debug("Prometheus query failed: {}", reason);
                    return Answer.none(reason);
                });
    }

    static Answer parse(JsonNode body, boolean worstIsHighest) {
        if (body == null || !"success".equals(body.path("status").asString(""))) {
            return Answer.none("Prometheus answered " + (body == null ? "nothing" : body.path("status").asString("?")
                    + " " + body.path("error").asString("")).trim());
        }
        JsonNode data = body.path("data");
        String type = data.path("resultType").asString("");
        JsonNode result = data.path("result");
        if ("scalar".equals(type)) {
            return value(result.path(1));
        }
        if (!"vector".equals(type)) {
            return Answer.none("unsupported result type '" + type + "' (use an instant vector or scalar query)");
        }
        if (result.isEmpty()) {
            return Answer.none("the query returned no series");
        }
        Double worst = null;
        String skipped = null;
        for (JsonNode series : result) {
            Answer answer = value(series.path("value").path(1));
            if (answer.value() == null) {
                // A series without a number (NaN from a quantile of no requests) says nothing; the others count.
                skipped = answer.reason();
                continue;
            }
            if (worst == null || (worstIsHighest ? answer.value() > worst : answer.value() < worst)) {
                worst = answer.value();
            }
        }
        if (worst == null) {
            return Answer.none(skipped);
        }
        return Answer.of(worst);
    }

    private static Answer value(JsonNode sample) {
        String text = sample.asString("");
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? Answer.of(value) : Answer.none("the query returned " + text);
        }
        catch (NumberFormatException ex) {
            return Answer.none("the query returned no number");
        }
    }

    private static String describe(Throwable failure) {
        String name = failure.getClass().getSimpleName();
        if (name.contains("CallNotPermitted")) {
            return "circuit breaker open";
        }
        if (name.contains("Timeout") || failure.getCause() instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (failure instanceof org.springframework.web.client.RestClientResponseException response) {
            return "answered " + response.getStatusCode().value();
        }
        return name;
    }
}
