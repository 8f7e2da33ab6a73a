package io.liftoff.notification.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import de.bwaldvogel.mongo.MongoServer;
import io.liftoff.common.store.LiftoffMemoryBackend;
import io.liftoff.common.testing.Api;
import io.liftoff.common.testing.TestJwts;
import io.liftoff.notification.NotificationServiceApplication;
import io.liftoff.notification.config.Claims;
import io.liftoff.notification.support.AbstractIntegrationTest;
import io.liftoff.notification.support.ServiceProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two replicas of the service on one shared store, the way they run against a MongoDB replica set: the store is a
 * MongoDB wire-protocol server of its own here, reached through {@code spring.mongodb.uri}, so neither replica starts
 * an embedded store and both take their work through leases written in the documents. Events arrive at either
 * replica; each is delivered once, not once per replica. An escalation timer fires at one replica only, and when the
 * replica that holds it stops, the other one fires it, once.
 */
class ReplicasIT {

    private final WireMockServer peers = new WireMockServer(wireMockConfig().dynamicPort());
    private final WireMockServer receiver = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(20));
    private MongoServer store;
    private ConfigurableApplicationContext first;
    private ConfigurableApplicationContext second;

    @BeforeEach
    void start() {
        store = new MongoServer(new LiftoffMemoryBackend());
        store.bind("127.0.0.1", 0);
        peers.start();
        receiver.start();
        peers.stubFor(get("/api/releases/rel-replicas").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(ServiceProcesses.release("rel-replicas"))));
        receiver.stubFor(post("/fast").willReturn(aResponse().withStatus(200).withFixedDelay(20)));
        receiver.stubFor(post("/level2").willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {first, second}) {
            if (context != null && context.isActive()) {
                context.close();
            }
        }
        peers.stop();
        receiver.stop();
        store.shutdownNow();
    }


    private ConfigurableApplicationContext replica() {
        return new SpringApplicationBuilder(NotificationServiceApplication.class).run(
                "--server.port=0",
                "--server.shutdown=immediate",
                "--spring.mongodb.uri=mongodb://127.0.0.1:" + store.getLocalAddress().getPort() + "/notification",
                "--liftoff.security.public-key-location=classpath:liftoff-test-jwt.pub.pem",
                "--liftoff.security.issuer-uri=" + TestJwts.ISSUER,
                "--liftoff.checklist.url=" + peers.baseUrl(),
                "--liftoff.notification.addresses.allowed-hosts=localhost,127.0.0.1",
                "--liftoff.notification.delivery.initial-backoff=100ms",
                "--liftoff.notification.delivery.max-backoff=300ms",
                "--liftoff.notification.delivery.lease=1s",
                "--liftoff.notification.delivery.recovery-interval=200ms",
                "--liftoff.notification.delivery.shutdown-grace=50ms",
                "--liftoff.notification.breaker.minimum-calls=1000",
                "--liftoff.notification.escalation.default-delay=2s",
                "--liftoff.notification.escalation.poll-interval=100ms",
                "--liftoff.notification.escalation.lease=1s");
    }


    private Map<String, Long> receiptsByEvent(String path) {
        return ServiceProcesses.receiptsByEvent(receiver, path);
    }


    private static String postEvent(Api api, String type, String data) {
        String json = "{\"eventId\":\"" + java.util.UUID.randomUUID() + "\",\"type\":\"" + type
                + "\",\"releaseId\":\"rel-replicas\",\"product\":\"toolboxai\",\"occurredAt\":\"" + Instant.now()
                + "\",\"data\":" + data + "}";
        Api.Response response = api.json("/api/events", AbstractIntegrationTest.checklistService(), json);
        assertThat(response.status()).isEqualTo(202);
        return response.json().path("eventId").asString();
    }

    private static void awaitUntil(String what, java.util.function.BooleanSupplier condition, long millis)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void twoReplicasOnOneStoreDeliverEachEventOnceAndFireEachEscalationOnce() throws Exception {
        first = replica();
        second = replica();
        assertThat(first.getBean(Claims.class).singleProcess()).as("a shared store: leases in the documents")
                .isFalse();
        Api a = ServiceProcesses.api(first);
        Api b = ServiceProcesses.api(second);
        String riley = AbstractIntegrationTest.riley();
        assertThat(a.json("/api/channels", riley, "{\"product\":\"toolboxai\",\"releaseId\":\"rel-replicas\","
                + "\"name\":\"fast\",\"type\":\"WEBHOOK\",\"url\":\"" + receiver.baseUrl() + "/fast\","
                + "\"eventTypes\":[\"item.updated\"]}").status()).isEqualTo(201);
        assertThat(b.json("/api/channels", riley, "{\"product\":\"toolboxai\",\"releaseId\":\"rel-replicas\","
                + "\"name\":\"pager\",\"type\":\"WEBHOOK\",\"url\":\"" + receiver.baseUrl() + "/level2\","
                + "\"levels\":[2]}").status()).isEqualTo(201);

        // Events arrive at both replicas, the same event at both as well (a producer retrying elsewhere).
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Api at = i % 2 == 0 ? a : b;
            events.add(postEvent(at, "item.updated", "{\"itemId\":\"it-staging\",\"n\":" + i + "}"));
        }
        String twice = postEvent(a, "item.updated", "{\"itemId\":\"it-staging\",\"n\":30}");
        Api.Response again = b.json("/api/events", AbstractIntegrationTest.checklistService(), "{\"eventId\":\""
                + twice + "\",\"type\":\"item.updated\",\"releaseId\":\"rel-replicas\",\"product\":\"toolboxai\","
                + "\"occurredAt\":\"" + Instant.now() + "\",\"data\":{\"itemId\":\"it-staging\",\"n\":30}}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        events.add(twice);
        String rollback = postEvent(a, "rollback.triggered", "{\"metric\":\"error_rate\",\"value\":9}");

        awaitUntil("every event delivered", () -> receiptsByEvent("/fast").keySet().containsAll(events), 20_000);
        awaitUntil("the escalation fires", () -> receiptsByEvent("/level2").containsKey(rollback), 20_000);
        Thread.sleep(1500); // time for a second replica's duplicate, if there were one
        assertThat(receiptsByEvent("/fast")).containsOnlyKeys(events).allSatisfy((id, count) -> assertThat(count)
                .as("event %s delivered once, not once per replica", id).isEqualTo(1L));
        assertThat(receiptsByEvent("/level2")).containsExactly(Map.entry(rollback, 1L));

        // The replica holding an escalation stops before it fires; the other one fires it, once.
        String laterRollback = postEvent(a, "rollback.triggered", "{\"metric\":\"error_rate\",\"value\":12}");
        first.close();
        awaitUntil("the other replica fires the stopped one's escalation",
                () -> receiptsByEvent("/level2").containsKey(laterRollback), 20_000);
        Thread.sleep(1500);
        assertThat(receiptsByEvent("/level2")).containsOnly(Map.entry(rollback, 1L), Map.entry(laterRollback, 1L));
        var stored = b.get("/api/notifications?releaseId=rel-replicas&size=200", AbstractIntegrationTest.admin())
                .json();
        assertThat(stored.path("totalItems").asLong()).isEqualTo(events.size() + 2);
    }
}
