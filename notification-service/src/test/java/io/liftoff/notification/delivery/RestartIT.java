package io.liftoff.notification.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.liftoff.common.testing.Api;
import io.liftoff.common.testing.TestJwts;
import io.liftoff.notification.NotificationServiceApplication;
import io.liftoff.notification.support.AbstractIntegrationTest;
import io.liftoff.notification.support.ServiceProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Kill and restart in the middle of delivery: the service is stopped while sends are in flight (with almost no grace,
 * so they are cut off) and a new one starts on the same embedded store (H2 backend in a temporary folder). Nothing
 * is lost: every event reaches the receiver; nothing is duplicated beyond at-least-once: only the sends cut off in
 * flight are repeated. An escalation timer set before the stop fires after the restart, once.
 */
class RestartIT {

    private static final int PER_DESTINATION = 2;

    @TempDir
    Path dataDir;

    private final WireMockServer peers = new WireMockServer(wireMockConfig().dynamicPort());
    private final WireMockServer receiver = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(20));
    private ConfigurableApplicationContext context;

    @BeforeEach
    void start() {
        peers.start();
        receiver.start();
        peers.stubFor(get("/api/releases/rel-restart").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(ServiceProcesses.release("rel-restart"))));
        receiver.stubFor(post("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(600)));
        receiver.stubFor(post("/level2").willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        peers.stop();
        receiver.stop();
    }


    private ConfigurableApplicationContext startService() {
        return new SpringApplicationBuilder(NotificationServiceApplication.class).run(
                "--server.port=0",
                "--server.shutdown=immediate",
                "--liftoff.store.embedded.backend=h2",
                "--liftoff.store.embedded.data-dir=" + dataDir,
                "--liftoff.security.public-key-location=classpath:liftoff-test-jwt.pub.pem",
                "--liftoff.security.issuer-uri=" + TestJwts.ISSUER,
                "--liftoff.checklist.url=" + peers.baseUrl(),
                "--liftoff.notification.addresses.allowed-hosts=localhost,127.0.0.1",
                "--liftoff.notification.delivery.per-destination=" + PER_DESTINATION,
                "--liftoff.notification.delivery.initial-backoff=100ms",
                "--liftoff.notification.delivery.max-backoff=300ms",
                "--liftoff.notification.delivery.lease=1s",
                "--liftoff.notification.delivery.recovery-interval=200ms",
                "--liftoff.notification.delivery.read-timeout=5s",
                "--liftoff.notification.delivery.shutdown-grace=50ms",
                "--liftoff.notification.breaker.minimum-calls=1000",
                "--liftoff.notification.escalation.default-delay=12s",
                "--liftoff.notification.escalation.poll-interval=100ms",
                "--liftoff.notification.escalation.lease=1s");
    }


    private Map<String, Long> receiptsByEvent(String path) {
        return ServiceProcesses.receiptsByEvent(receiver, path);
    }


    private static String event(String type, String data) {
        String id = java.util.UUID.randomUUID().toString();
        return "{\"eventId\":\"" + id + "\",\"type\":\"" + type + "\",\"releaseId\":\"rel-restart\","
                + "\"product\":\"toolboxai\",\"occurredAt\":\"" + Instant.now() + "\",\"data\":" + data + "}";
    }

    private static String postEvent(Api api, String json) {
        Api.Response response = api.json("/api/events", AbstractIntegrationTest.checklistService(), json);
        assertThat(response.status()).isEqualTo(202);
        return response.json().path("eventId").asString();
    }

    @Test
    void aRestartInTheMiddleOfDeliveryLosesNothingAndRepeatsOnlyWhatWasInFlight() throws Exception {
        context = startService();
        Api first = ServiceProcesses.api(context);
        String riley = AbstractIntegrationTest.riley();
        assertThat(first.json("/api/channels", riley, "{\"product\":\"toolboxai\",\"releaseId\":\"rel-restart\","
                + "\"name\":\"slow\",\"type\":\"WEBHOOK\",\"url\":\"" + receiver.baseUrl() + "/slow\","
                + "\"eventTypes\":[\"item.updated\"]}").status()).isEqualTo(201);
        assertThat(first.json("/api/channels", riley, "{\"product\":\"toolboxai\",\"releaseId\":\"rel-restart\","
                + "\"name\":\"pager\",\"type\":\"WEBHOOK\",\"url\":\"" + receiver.baseUrl() + "/level2\","
                + "\"levels\":[2]}").status()).isEqualTo(201);
        String rollback = postEvent(first, event("rollback.triggered", "{\"metric\":\"error_rate\",\"value\":9}"));
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(postEvent(first, event("item.updated", "{\"itemId\":\"it-staging\",\"n\":" + i + "}")));
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (receiptsByEvent("/slow").values().stream().mapToLong(Long::longValue).sum() < 3) {
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.sleep(20);
        }
        for (int i = 20; i < 25; i++) { // stored, perhaps not even routed when the service stops
            events.add(postEvent(first, event("item.updated", "{\"itemId\":\"it-staging\",\"n\":" + i + "}")));
        }

        context.close();
        Map<String, Long> beforeRestart = receiptsByEvent("/slow");
        assertThat(beforeRestart.size()).isLessThan(events.size());
        assertThat(receiptsByEvent("/level2")).isEmpty();

        context = startService();
        Api second = ServiceProcesses.api(context);

        deadline = System.currentTimeMillis() + 30_000;
        while (!receiptsByEvent("/slow").keySet().containsAll(events)) {
            assertThat(System.currentTimeMillis()).as("every event delivered after the restart")
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
        Map<String, Long> receipts = receiptsByEvent("/slow");
        assertThat(receipts.keySet()).containsExactlyInAnyOrderElementsOf(events);
        assertThat(receipts.values()).allMatch(count -> count <= 2);
        assertThat(receipts.values().stream().filter(count -> count == 2).count())
                .as("only the sends in flight at the stop are repeated").isLessThanOrEqualTo(PER_DESTINATION);
        deadline = System.currentTimeMillis() + 30_000;
        while (receiptsByEvent("/level2").isEmpty()) {
            assertThat(System.currentTimeMillis()).as("the escalation timer fires after the restart")
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
        Thread.sleep(1000);
        assertThat(receiptsByEvent("/level2")).containsExactly(Map.entry(rollback, 1L));
        var stored = second.get("/api/notifications?releaseId=rel-restart&size=200",
                AbstractIntegrationTest.admin()).json();
        assertThat(stored.path("totalItems").asLong()).isEqualTo(events.size() + 1);
        for (var n : stored.path("items")) {
            for (var d : n.path("deliveries")) {
                if (d.path("level").asInt() == 0) {
                    assertThat(d.path("status").asString()).isEqualTo("DELIVERED");
                }
            }
        }
        assertThat(Files.exists(dataDir.resolve("mongo.mv"))).isTrue();
    }
}
