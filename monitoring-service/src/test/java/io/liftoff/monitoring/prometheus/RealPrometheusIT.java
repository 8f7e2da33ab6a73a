package io.liftoff.monitoring.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.liftoff.common.testing.Api;
import io.liftoff.common.testing.TestJwts;
import io.liftoff.monitoring.monitoring.EvaluationRecord;
import io.liftoff.monitoring.monitoring.MonitoringService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Prometheus source against a real Prometheus (the Debian package {@code prometheus}), where
 * {@link PrometheusChecksIT} replays recorded answers with WireMock: a Prometheus process scrapes this service's own
 * {@code /actuator/prometheus} every second, the service's Prometheus URL ({@code liftoff.monitoring.prometheus.url})
 * points at it, and checks carrying PromQL over the scraped series are evaluated with instant queries. The values in
 * the verdicts are compared with what the same Prometheus answers directly.
 *
 * <p>README (monitoring-service, tests): "{@code RealPrometheusIT} runs once against a real Prometheus
 * ({@code /usr/bin/prometheus}, Debian package {@code prometheus}) scraping the service's {@code /actuator/prometheus};
 * {@code monitoring-service/scripts/ensure-prometheus.sh} installs the package with apt-get when it is missing and the
 * build runs as root, otherwise the test is skipped and says why ({@code PROMETHEUS_BIN} names another binary)."
 *
 * <p>Its own application context (the real clock, not the tests' hand-moved one: Prometheus answers for real time),
 * with the same test token key, in-memory store and WireMock standing in for checklist-service as the other tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "liftoff.store.embedded.backend=memory",
        "liftoff.security.public-key-location=classpath:liftoff-test-jwt.pub.pem",
        "liftoff.security.issuer-uri=" + TestJwts.ISSUER,
        "liftoff.outbox.poll-interval=100ms",
        "liftoff.monitoring.scheduler-enabled=false",
        "liftoff.monitoring.public-url=http://monitoring.test",
        "liftoff.monitoring.prometheus.read-timeout=2s",
        "spring.cloud.openfeign.client.config.checklist-read.read-timeout=1000",
        "spring.cloud.openfeign.client.config.checklist-write.read-timeout=1000" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RealPrometheusIT {

    private static final String PRODUCT = "toolboxai";
    private static final String UP = "up{job=\"monitoring-service\"}";
    /*
     * Over the last 10 s, not the latest sample alone: a scrape that times out on a busy 2-core machine makes "up" 0
     * and marks the service's series stale for a second, and a sample may land between the service's query and ours.
     */
    private static final String RECENT_UP = "max_over_time(" + UP + "[10s])";
    private static final String THREADS = "jvm_threads_live_threads{job=\"monitoring-service\"}";
    private static final String RECENT_THREADS = "max_over_time(" + THREADS + "[10s])";
    private static final Duration SCRAPED_WITHIN = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final WireMockServer CHECKLIST = new WireMockServer(wireMockConfig().dynamicPort());
    private static final int PROMETHEUS_PORT = freePort();
    private static final String PROMETHEUS_URL = "http://127.0.0.1:" + PROMETHEUS_PORT;

    private static String binary;
    private static Path workDir;
    private static Process prometheus;

    @LocalServerPort
    private int port;

    @Autowired
    private MonitoringService monitoring;

    private Api api;

    @DynamicPropertySource
    static void urls(DynamicPropertyRegistry registry) {
        registry.add("liftoff.checklist.url", CHECKLIST::baseUrl);
        registry.add("liftoff.monitoring.prometheus.url", () -> PROMETHEUS_URL);
        registry.add("liftoff.outbox.consumer-url", () -> CHECKLIST.baseUrl() + "/api/events");
        registry.add("liftoff.outbox.batch", () -> "false"); // the peers stub one event per request
    }

    /** The binary, installed by the module's script when missing; skipped (saying why) when it cannot be. */
    @BeforeAll
    static void prometheusBinary() throws Exception {
        Path script = moduleDir().resolve("scripts/ensure-prometheus.sh");
        assertThat(script).as("the module's install script").exists();
        Process ensure = new ProcessBuilder("sh", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(ensure.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(ensure.waitFor(15, TimeUnit.MINUTES)).as("ensure-prometheus.sh finished").isTrue();
        String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1).trim();
        assumeTrue(ensure.exitValue() != 3, () -> "No real Prometheus for RealPrometheusIT: " + out);
        assertThat(ensure.exitValue()).as("ensure-prometheus.sh failed: %s", out).isZero();
        binary = last;
        CHECKLIST.start();
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            prometheus = null;
        }
        if (CHECKLIST.isRunning()) {
            CHECKLIST.stop();
        }
        if (workDir != null) {
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Started once the service listens (its port is the scrape target); waits until Prometheus has scraped it. */
    @BeforeEach
    void prometheusScrapingTheService() throws Exception {
        api = new Api("http://localhost:" + port);
        CHECKLIST.stubFor(post("/api/events").willReturn(aResponse().withStatus(202)));
        if (prometheus == null) {
            workDir = Files.createTempDirectory("real-prometheus-it");
            Path config = workDir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: monitoring-service
                        scrape_interval: 1s
                        scrape_timeout: 1s
                        metrics_path: /actuator/prometheus
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(port));
            prometheus = new ProcessBuilder(binary, "--config.file=" + config,
                    "--storage.tsdb.path=" + workDir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + PROMETHEUS_PORT)
                    .redirectErrorStream(true).redirectOutput(workDir.resolve("prometheus.log").toFile()).start();
        }
        long deadline = System.nanoTime() + SCRAPED_WITHIN.toNanos();
        String last = "nothing yet";
        while (System.nanoTime() < deadline) {
            assertThat(prometheus.isAlive()).as("prometheus exited: %s", log()).isTrue();
            try {
                JsonNode result = query(UP, null).path("data").path("result");
                if (result.size() == 1 && "1".equals(result.path(0).path("value").path(1).asString(""))) {
                    return;
                }
                last = result.toString();
            }
            catch (IOException ex) {
                last = ex.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Prometheus did not scrape the service within " + SCRAPED_WITHIN + " (last answer: "
                + last + "); its log:\n" + log());
    }

    @Test
    void checksWithPromqlOverTheServicesOwnScrapedMetricsPassOrFailOnWhatPrometheusAnswers() throws Exception {
        String id = "rel-real-prometheus-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode release = release(id, Instant.now().minusSeconds(1));
        // The targets (they come from checklist-service's items): one the service meets, one it cannot meet.
        target(release, "system-health/error-rates", "service_up", ">=", 1, "count");
        target(release, "system-health/database-performance", "service_instances_up", ">", 5, "count");
        target(release, "system-health/api-response-times", "service_live_threads", ">=", 1, "count");
        CHECKLIST.stubFor(get(urlEqualTo("/api/releases/" + id)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("ETag", "\"7\"")
                .withBody(release.toString())));
        Api.Response started = api.post("/api/releases/" + id + "/monitoring", riley(), "application/json", "");
        assertThat(started.status()).as(started.body()).isEqualTo(201);

        String met = withQuery(id, "system-health/error-rates", RECENT_UP);
        String unmet = withQuery(id, "system-health/database-performance", RECENT_UP);
        String threads = withQuery(id, "system-health/api-response-times", RECENT_THREADS);
        assertThat(monitoring.evaluate(id, List.of(met, unmet, threads), true))
                .containsExactlyInAnyOrder(met, unmet, threads);

        EvaluationRecord pass = latest(id, met);
        double upThen = value(query(RECENT_UP, pass.at()));
        assertThat(pass.verdict()).as(pass.reason()).isEqualTo(EvaluationRecord.Verdict.PASS);
        assertThat(pass.source()).isEqualTo("PROMETHEUS");
        assertThat(pass.value()).as(pass.reason()).isEqualTo(upThen);
        assertThat(pass.threshold()).isEqualTo(1.0);

        EvaluationRecord fail = latest(id, unmet);
        assertThat(fail.verdict()).as(fail.reason()).isEqualTo(EvaluationRecord.Verdict.FAIL);
        assertThat(fail.source()).isEqualTo("PROMETHEUS");
        assertThat(fail.value()).as(fail.reason()).isEqualTo(value(query(RECENT_UP, fail.at())));
        assertThat(fail.threshold()).isEqualTo(5.0);
        assertThat(fail.reason()).contains("does not meet > 5");

        // A series the service exports itself (not Prometheus's own "up"): the value is one Prometheus stored.
        EvaluationRecord live = latest(id, threads);
        assertThat(live.verdict()).as(live.reason()).isEqualTo(EvaluationRecord.Verdict.PASS);
        assertThat(live.value()).as(live.reason()).isGreaterThanOrEqualTo(1.0);
        List<Double> stored = new ArrayList<>();
        for (JsonNode sample : query(THREADS + "[30s]", null).path("data").path("result").path(0).path("values")) {
            stored.add(Double.parseDouble(sample.path(1).asString()));
        }
        assertThat(stored).as("samples Prometheus stored").contains(live.value());
    }

    // ---------------------------------------------------------------- helpers

    private String withQuery(String releaseId, String keySuffix, String promql) {
        String checkId = monitoring.find(releaseId).getChecks().stream()
                .filter(check -> check.getItemKey().endsWith(keySuffix)).findFirst().orElseThrow().getId();
        Api.Response patched = api.patch("/api/releases/" + releaseId + "/monitoring/checks/" + checkId, riley(), null,
                "{\"query\": \"" + promql.replace("\"", "\\\"") + "\", \"queryUnit\": \"count\"}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        return checkId;
    }

    private EvaluationRecord latest(String releaseId, String checkId) {
        List<EvaluationRecord> evaluations = monitoring.find(releaseId).check(checkId).getEvaluations();
        assertThat(evaluations).isNotEmpty();
        return evaluations.get(evaluations.size() - 1);
    }

    /** An instant query straight to Prometheus, at {@code at} (or now). */
    private static JsonNode query(String promql, Instant at) throws IOException, InterruptedException {
        String uri = PROMETHEUS_URL + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + (at == null ? "" : "&time=" + String.format(Locale.ROOT, "%.3f", at.toEpochMilli() / 1000.0));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Prometheus answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static double value(JsonNode answer) {
        JsonNode result = answer.path("data").path("result");
        assertThat(result.size()).as("series in %s", answer).isEqualTo(1);
        return Double.parseDouble(result.path(0).path("value").path(1).asString());
    }

    /** The reference checklist as checklist-service answers it, monitored and deployed at {@code deployedAt}. */
    private static ObjectNode release(String id, Instant deployedAt) {
        ObjectNode release;
        try (InputStream in = RealPrometheusIT.class.getResourceAsStream("/fixtures/release-v1.1.0-monitoring.json")) {
            release = (ObjectNode) JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        release.put("id", id);
        release.put("product", PRODUCT);
        release.put("status", "MONITORING");
        release.put("deployedAt", deployedAt.toString());
        return release;
    }

    private static void target(ObjectNode release, String keySuffix, String metric, String comparator,
            double threshold, String unit) {
        ObjectNode target = (ObjectNode) item(release.path("items"), keySuffix).path("target");
        target.put("metric", metric);
        target.put("comparator", comparator);
        target.put("threshold", threshold);
        target.put("unit", unit);
        target.putNull("aggregation");
    }

    private static JsonNode item(JsonNode items, String keySuffix) {
        for (JsonNode item : items) {
            if (item.path("key").asString("").endsWith(keySuffix) && item.path("target").isObject()) {
                return item;
            }
            JsonNode found = item(item.path("children"), keySuffix);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String riley() {
        return TestJwts.user("riley").roles("release-manager").products(PRODUCT).audience("monitoring-service")
                .sign();
    }

    private static String log() {
        try {
            return workDir == null ? "" : Files.readString(workDir.resolve("prometheus.log"));
        }
        catch (IOException ex) {
            return ex.toString();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The module's directory: failsafe runs in it; {@code basedir} when a runner sets it. */
    private static Path moduleDir() {
        String basedir = System.getProperty("basedir");
        Path dir = Paths.get(basedir != null ? basedir : System.getProperty("user.dir"));
        return Files.isDirectory(dir.resolve("scripts")) ? dir : dir.resolve("monitoring-service");
    }
}
