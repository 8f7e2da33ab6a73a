package io.liftoff.checklist.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.liftoff.common.testing.TestJwts;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Load driver for a running checklist-service (see bench/run.sh): imports the fixture N times, then updates items from
 * several concurrent clients at a fixed rate, and prints import time (median, p99), update latency (p50, p99) and
 * throughput against the targets of issue 2. Each client works on its own release so ETags never collide.
 * <p>
 * Arguments: baseUrl [imports=200] [clients=6] [rate=300] [seconds=30]; system property {@code bench.warmup}: seconds
 * of update load before anything is measured (default 60). Also serves a 202 event sink on the port in
 * the system property {@code sink.port}, so the service's outbox relay delivers its events as in production.
 */
public final class ChecklistBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(16)).build();

    private ChecklistBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int imports = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 30;
        HttpServer sink = eventSink(Integer.getInteger("sink.port", 18084));
        String manager = TestJwts.user("bench-riley").roles("release-manager").products("bench")
                .audience("checklist-service").expiresAt(java.time.Instant.now().plusSeconds(3600)).sign();
        String engineer = TestJwts.user("bench-eli").roles("engineer").products("bench").audience("checklist-service")
                .expiresAt(java.time.Instant.now().plusSeconds(3600)).sign();
        String fixture = fixture();
        String run = Long.toString(System.currentTimeMillis() % 1_000_000);

        System.out.printf("checklist-service benchmark against %s (%d imports, %d clients at %d updates/s for %d s)%n",
                base, imports, clients, rate, seconds);
        // Warm-up: the JIT (a minute or more of C2 compilation on two cores) and the store settle before anything is
        // measured: imports, then item updates at the target rate on the warm-up releases.
        int warmupSeconds = Integer.getInteger("bench.warmup", 60);
        List<String> warmupIds = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String id = importFixture(base, manager, fixture, "7." + run + ".9" + i);
            if (warmupIds.size() < clients) {
                warmupIds.add(id);
            }
        }
        System.out.printf("warm-up: 100 imports, then %d s of updates at %d/s%n", warmupSeconds, rate);
        updates(base, engineer, warmupIds, rate, warmupSeconds, false);
        List<String> releaseIds = new ArrayList<>();
        List<Double> importMs = new ArrayList<>();
        for (int i = 0; i < imports; i++) {
            long start = System.nanoTime();
            String id = importFixture(base, manager, fixture, "8." + run + "." + i);
            importMs.add((System.nanoTime() - start) / 1e6);
            if (releaseIds.size() < clients) {
                releaseIds.add(id);
            }
        }
        Collections.sort(importMs);
        System.out.printf("import   (fixture, 217 items)  n=%d  median %.2f ms  p99 %.2f ms   target: median < 20 ms%n",
                imports, percentile(importMs, 50), percentile(importMs, 99));

        Map<String, Double> before = serverMetrics(base);
        Result result = updates(base, engineer, releaseIds, rate, seconds, true);
        Map<String, Double> after = serverMetrics(base);
        System.out.printf("update   (PATCH item, If-Match) n=%d  p50 %.2f ms  p99 %.2f ms  %.0f updates/s  errors %d"
                + "   target: p99 < 10 ms at 300/s%n", result.latencies.size(), percentile(result.latencies, 50),
                percentile(result.latencies, 99), result.throughput, result.errors);
        System.out.printf("         service during that run: %.0f KB allocated per update, %.0f GC pauses, %.0f ms"
                + " paused in all (%.1f%% of the time)%n",
                delta(before, after, "jvm_gc_memory_allocated_bytes_total") / 1024 / result.latencies.size(),
                delta(before, after, "jvm_gc_pause_seconds_count"),
                delta(before, after, "jvm_gc_pause_seconds_sum") * 1000,
                delta(before, after, "jvm_gc_pause_seconds_sum") * 100 / seconds);
        Result max = updates(base, engineer, releaseIds, Integer.MAX_VALUE, 10, true);
        System.out.printf("update   unpaced (%d clients)   n=%d  p50 %.2f ms  p99 %.2f ms  %.0f updates/s (capacity)%n",
                clients, max.latencies.size(), percentile(max.latencies, 50), percentile(max.latencies, 99),
                max.throughput);
        sink.stop(0);
        System.exit(0);
    }

    record Result(List<Double> latencies, double throughput, int errors) {
    }

    /**
     * Each client updates items of its own release, paced so that all clients together send {@code rate}/s, evenly
     * spread over each second (the clients' turns are staggered).
     */
    private static Result updates(String base, String token, List<String> releaseIds, int rate, int seconds,
            boolean report) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(releaseIds.size());
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        long intervalNanos = rate == Integer.MAX_VALUE ? 0 : TimeUnit.SECONDS.toNanos(1) * releaseIds.size() / rate;
        // A common start, after every client has read its release.
        long started = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        long deadline = started + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<?>> futures = new ArrayList<>();
        for (int client = 0; client < releaseIds.size(); client++) {
            String releaseId = releaseIds.get(client);
            // The clients take turns: client k sends at k/clients of the interval, so the requests arrive evenly
            // spread at the target rate instead of all clients at the same instants (bursts the size of the pool).
            long phase = intervalNanos * client / releaseIds.size();
            futures.add(pool.submit(() -> {
                JsonNode release = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/api/releases/"
                        + releaseId)).header("Authorization", "Bearer " + token).GET().build()).body());
                List<String> items = new ArrayList<>();
                collect(release.path("items"), items);
                String etag = "\"" + release.path("checklistVersion").asLong() + "\"";
                long next = started + phase;
                int n = 0;
                if (intervalNanos == 0) {
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, started - System.nanoTime()));
                }
                while (System.nanoTime() < deadline) {
                    if (intervalNanos > 0) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        next += intervalNanos;
                    }
                    String item = items.get(n++ % items.size());
                    String state = (n / items.size()) % 2 == 0 ? "DONE" : "OPEN";
                    long start = System.nanoTime();
                    HttpResponse<String> response = send(HttpRequest
                            .newBuilder(URI.create(base + "/api/releases/" + releaseId + "/items/" + item))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .header("If-Match", etag)
                            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"state\":\"" + state
                                    + "\",\"note\":\"bench\"}"))
                            .build());
                    latencies.add((System.nanoTime() - start) / 1e6);
                    if (response.statusCode() != 200) {
                        errors.incrementAndGet();
                    }
                    etag = response.headers().firstValue("ETag").orElse(etag);
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Result(sorted, sorted.size() / elapsed, errors.get());
    }

    /** The service's own counters from {@code /actuator/prometheus}, summed over their labels. */
    private static Map<String, Double> serverMetrics(String base) throws Exception {
        Map<String, Double> values = new HashMap<>();
        String text = send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).GET().build()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int nameEnd = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
            String value = line.substring(line.lastIndexOf(' ') + 1);
            values.merge(line.substring(0, nameEnd), Double.parseDouble(value), Double::sum);
        }
        return values;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
    }

    private static void collect(JsonNode items, List<String> ids) {
        for (JsonNode item : items) {
            if (item.path("checkbox").asBoolean() && !item.path("kind").asString().equals("SIGNOFF")) {
                ids.add(item.path("id").asString());
            }
            collect(item.path("children"), ids);
        }
    }

    private static String importFixture(String base, String token, String fixture, String version) throws Exception {
        HttpResponse<String> response = send(HttpRequest
                .newBuilder(URI.create(base + "/api/releases?product=bench&version=" + version))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/markdown")
                .POST(HttpRequest.BodyPublishers.ofString(fixture, StandardCharsets.UTF_8)).build());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("import answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).path("id").asString();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String fixture() throws IOException {
        try (InputStream in = ChecklistBenchmark.class.getResourceAsStream("/fixtures/release-checklist-v1.1.0.md")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static HttpServer eventSink(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api/events", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}
