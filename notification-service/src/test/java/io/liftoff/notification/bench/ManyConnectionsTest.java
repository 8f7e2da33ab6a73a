package io.liftoff.notification.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark's one-thread client ({@code -Dbench.client=nio}): every request is sent exactly once, as many are in
 * flight as there are connections, and each answer is read to its end, whether it has a length or comes in chunks.
 * An answer it failed to see the end of would leave it waiting: the timeout turns that into a failure.
 */
@Timeout(30)
class ManyConnectionsTest {

    private HttpServer server;
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    /** Held until as many requests as the test expects are in the server at once. */
    private volatile CountDownLatch together = new CountDownLatch(0);
    private final ConcurrentHashMap<String, Boolean> connectionsSeen = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/api/events", exchange -> {
            int now = inFlight.incrementAndGet();
            mostInFlight.accumulateAndGet(now, Math::max);
            connectionsSeen.put(exchange.getRemoteAddress().toString(), true);
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(body);
            together.countDown();
            try {
                together.await(5, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            byte[] answer = ("{\"eventId\":\"" + body + "\"}").getBytes(StandardCharsets.UTF_8);
            int status = body.startsWith("bad") ? 400 : 202;
            if (body.startsWith("close")) {
                exchange.getResponseHeaders().add("Connection", "close");
            }
            inFlight.decrementAndGet();
            // bodies ending in an even digit are answered with a length, odd ones in chunks (length 0 makes the JDK
            // server chunk)
            boolean chunked = body.charAt(body.length() - 1) % 2 == 1;
            exchange.sendResponseHeaders(status, chunked ? 0 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/events");
    }

    private static List<byte[]> requests(List<String> bodies) {
        return bodies.stream().map(b -> b.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Test
    void sendsEveryRequestOnceWithOneInFlightOnEachConnection() throws IOException {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sent.add("event-" + i);
        }
        together = new CountDownLatch(8);
        List<Integer> heard = Collections.synchronizedList(new ArrayList<>());
        List<Integer> refused = new ArrayList<>();
        try (DeliveryBenchmark.ManyConnections many = new DeliveryBenchmark.ManyConnections(uri(), "t", 8)) {
            many.postAll(requests(sent), 202, heard::add, refused::add);
        }
        assertThat(bodies).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(heard).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 40).boxed().toList());
        assertThat(refused).isEmpty();
        // the first eight were in the server together, one on each connection, and no connection carried two at once
        assertThat(mostInFlight.get()).isEqualTo(8);
        assertThat(connectionsSeen).hasSize(8);
    }

    @Test
    void countsOtherStatusesAndClosedConnectionsAsRefused() throws IOException {
        List<String> sent = List.of("ok-0", "bad-1", "close-2", "ok-3", "ok-4", "ok-5");
        List<Integer> refused = Collections.synchronizedList(new ArrayList<>());
        try (DeliveryBenchmark.ManyConnections many = new DeliveryBenchmark.ManyConnections(uri(), "t", 2)) {
            many.postAll(requests(sent), 202, request -> {
            }, refused::add);
        }
        // 400 is refused; the answer with "Connection: close" still counts (202), and the rest go on the other
        // connection
        assertThat(refused).containsExactly(1);
        assertThat(bodies).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void refusesWhatCannotBeSentOnceEveryConnectionIsGone() throws IOException {
        List<String> sent = List.of("close-0", "ok-1", "ok-2");
        List<Integer> refused = Collections.synchronizedList(new ArrayList<>());
        try (DeliveryBenchmark.ManyConnections many = new DeliveryBenchmark.ManyConnections(uri(), "t", 1)) {
            many.postAll(requests(sent), 202, request -> {
            }, refused::add);
        }
        assertThat(bodies).containsExactly("close-0");
        assertThat(refused).containsExactly(1, 2);
    }
}
