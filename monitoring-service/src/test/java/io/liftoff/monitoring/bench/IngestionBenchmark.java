package io.liftoff.monitoring.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.liftoff.common.testing.TestJwts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 4 §6: sample ingestion throughput (batches of 500 over HTTP, with token validation) and the delay from a
 * breaching sample's arrival to its {@code rollback.triggered} event, with 100 releases monitored at once, on the
 * embedded store. Not a pass/fail test: run with {@code monitoring-service/bench/run.sh}; it prints the figures.
 */
@Tag("benchmark")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "liftoff.security.public-key-location=classpath:liftoff-test-jwt.pub.pem",
        "liftoff.security.issuer-uri=" + TestJwts.ISSUER,
        "liftoff.outbox.poll-interval=100ms",
        "logging.level.root=WARN" })
class IngestionBenchmark {

    private static final String BACKEND = System.getProperty("bench.backend", "h2");
    private static final java.nio.file.Path DATA_DIR = temporaryDataDir();
    private static final int RELEASES = 100;
    private static final int BATCH = 500;
    private static final int CLIENTS = Integer.getInteger("bench.clients", 4);
    private static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("bench.warmup", 20));
    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 30));
    private static final int BREACHES = Integer.getInteger("bench.breaches", 30);

    /** Values that meet every target and set off no trigger of the reference checklist. */
    private static final String[][] CALM = { { "api_response_time", "120", "ms" }, { "error_rate", "0.02", "%" },
            { "database_performance", "20", "ms" }, { "login_success_rate", "99.5", "%" },
            { "dashboard_load_time", "1.2", "s" }, { "system_availability", "99.95", "%" },
            { "api_error_rate", "0.0005", "ratio" }, { "database_query_time", "30", "ms" },
            { "cpu_utilization", "40", "%" }, { "memory_usage", "512", "count" }, { "user_complaints", "3", "count" } };

    private static final WireMockServer PEERS = new WireMockServer(wireMockConfig().dynamicPort()
            .containerThreads(20));
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static {
        PEERS.start();
    }

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void peers(DynamicPropertyRegistry registry) {
        // The platform's store by default (H2 file in a temporary folder); -Dbench.backend=memory for comparison.
        registry.add("liftoff.store.embedded.backend", () -> BACKEND);
        registry.add("liftoff.data-dir", () -> DATA_DIR.toString());
        registry.add("liftoff.checklist.url", PEERS::baseUrl);
        registry.add("liftoff.outbox.consumer-url", () -> PEERS.baseUrl() + "/api/events");
        registry.add("liftoff.outbox.batch", () -> "false"); // the peers stub one event per request
    }

    @AfterAll
    static void stopPeers() {
        PEERS.stop();
    }

    @Test
    void ingestionThroughputAndBreachDelay() throws Exception {
        PEERS.stubFor(post("/api/events").willReturn(aResponse().withStatus(202)));
        String token = TestJwts.user("bench").roles("service").audience("monitoring-service")
                .expiresAt(Instant.now().plus(Duration.ofHours(2))).sign();
        String fixture = resource("/fixtures/release-v1.1.0-monitoring.json");
        List<String> releases = new ArrayList<>();
        Instant deployed = Instant.now().minus(Duration.ofMinutes(1));
        for (int i = 0; i < RELEASES; i++) {
            String id = "bench-" + i;
            ObjectNode release = (ObjectNode) JSON.readTree(fixture);
            release.put("id", id).put("product", "toolboxai").put("deployedAt", deployed.toString());
            PEERS.stubFor(get(urlEqualTo("/api/releases/" + id)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withHeader("ETag", "\"1\"")
                    .withBody(release.toString())));
            HttpResponse<String> started = send(id, "/monitoring", token, "");
            if (started.statusCode() != 201) {
                throw new IllegalStateException("start " + id + ": " + started.statusCode() + " " + started.body());
            }
            releases.add(id);
        }

        Load warmUp = load(releases, token, WARM_UP);
        Load measured = load(releases, token, MEASURE);

        // Breaches while the ingestion load goes on: one breaching sample in an otherwise calm batch.
        AtomicBoolean background = new AtomicBoolean(true);
        ExecutorService loaders = Executors.newFixedThreadPool(Math.max(1, CLIENTS - 1));
        AtomicLong backgroundSamples = new AtomicLong();
        for (int c = 0; c < CLIENTS - 1; c++) {
            int offset = c;
            loaders.execute(() -> {
                int n = offset;
                while (background.get()) {
                    String id = releases.get(n++ % RELEASES);
                    if (send(id, "/samples", token, batch(null)).statusCode() == 202) {
                        backgroundSamples.addAndGet(BATCH);
                    }
                }
            });
        }
        long[] noticed = new long[BREACHES];
        long[] delivered = new long[BREACHES];
        for (int b = 0; b < BREACHES; b++) {
            String id = releases.get(b % RELEASES);
            Thread.sleep(200);
            Instant sent = Instant.now();
            HttpResponse<String> response = send(id, "/samples", token, batch("5"));
            if (response.statusCode() != 202) {
                throw new IllegalStateException(response.body());
            }
            int expected = b / RELEASES + 1;
            Instant deadline = Instant.now().plusSeconds(30);
            List<String> events;
            while ((events = rollbackEvents(id)).size() < expected) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("No rollback.triggered for " + id);
                }
                Thread.sleep(2);
            }
            Instant arrivedAtConsumer = Instant.now();
            Instant occurredAt = Instant.parse(JSON.readTree(events.get(events.size() - 1)).path("occurredAt")
                    .asString());
            noticed[b] = Duration.between(sent, occurredAt).toMillis();
            delivered[b] = Duration.between(sent, arrivedAtConsumer).toMillis();
            // Calm again, so the next breach of this release is a new firing.
            send(id, "/samples", token, batch(null));
        }
        background.set(false);
        loaders.shutdown();
        loaders.awaitTermination(30, TimeUnit.SECONDS);

        String report = String.format(Locale.ROOT, """
                monitoring-service benchmark (%d releases monitored, batches of %d samples, %d client threads,
                embedded store, %s backend, %d available processors)
                  warm-up: %,d samples in %ds = %,.0f samples/s
                  ingestion throughput: %,d samples in %.1fs = %,.0f samples/s (%d batches, %d refused)
                  breach -> rollback.triggered in the outbox (occurredAt - send time), %d breaches under load:
                    median %d ms, p95 %d ms, max %d ms
                  breach -> event received by the consumer (WireMock): median %d ms, p95 %d ms, max %d ms
                """, RELEASES, BATCH, CLIENTS, BACKEND, Runtime.getRuntime().availableProcessors(), warmUp.samples(),
                WARM_UP.toSeconds(), warmUp.rate(), measured.samples(), measured.seconds(), measured.rate(),
                measured.batches(), measured.refused(), BREACHES, percentile(noticed, 50), percentile(noticed, 95),
                percentile(noticed, 100), percentile(delivered, 50), percentile(delivered, 95),
                percentile(delivered, 100));
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark.txt"), report);
    }

    private record Load(long samples, long batches, long refused, double seconds) {

        double rate() {
            return samples / seconds;
        }
    }

    private Load load(List<String> releases, String token, Duration duration) throws InterruptedException {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicLong samples = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (int c = 0; c < CLIENTS; c++) {
            int offset = c;
            clients.execute(() -> {
                int n = offset;
                while (System.nanoTime() < end) {
                    String id = releases.get(n++ % RELEASES);
                    HttpResponse<String> response = send(id, "/samples", token, batch(null));
                    batches.incrementAndGet();
                    if (response.statusCode() == 202) {
                        samples.addAndGet(BATCH);
                    }
                    else {
                        refused.incrementAndGet();
                    }
                }
            });
        }
        clients.shutdown();
        clients.awaitTermination(duration.toSeconds() + 60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Load(samples.get(), batches.get(), refused.get(), seconds);
    }

    /** 500 calm samples over the last second; with {@code errorRate}, the last one is that api_error_rate (%). */
    private static String batch(String errorRate) {
        long now = System.currentTimeMillis();
        StringBuilder body = new StringBuilder(BATCH * 110).append("{\"samples\":[");
        for (int i = 0; i < BATCH; i++) {
            String[] metric = CALM[i % CALM.length];
            String value = metric[1];
            String unit = metric[2];
            String name = metric[0];
            if (errorRate != null && i == BATCH - 1) {
                name = "api_error_rate";
                value = errorRate;
                unit = "%";
            }
            body.append(i == 0 ? "" : ",").append("{\"metric\":\"").append(name).append("\",\"value\":")
                    .append(value).append(",\"unit\":\"").append(unit).append("\",\"timestamp\":\"")
                    .append(Instant.ofEpochMilli(now - (BATCH - i) * 2L)).append("\"}");
        }
        return body.append("]}").toString();
    }

    private HttpResponse<String> send(String releaseId, String path, String token, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/releases/"
                    + releaseId + path)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static List<String> rollbackEvents(String releaseId) {
        return PEERS.findAll(postRequestedFor(urlEqualTo("/api/events"))
                .withRequestBody(matchingJsonPath("$.releaseId", equalTo(releaseId)))
                .withRequestBody(matchingJsonPath("$.type", equalTo("rollback.triggered")))).stream()
                .map(request -> request.getBodyAsString()).toList();
    }

    private static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = IngestionBenchmark.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static java.nio.file.Path temporaryDataDir() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("liftoff-monitoring-bench");
            dir.toFile().deleteOnExit();
            return dir;
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
