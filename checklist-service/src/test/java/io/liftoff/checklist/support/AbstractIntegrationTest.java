package io.liftoff.checklist.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.liftoff.common.testing.Api;
import io.liftoff.common.testing.TestJwts;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One running checklist-service for every integration test of the module (the Spring context is built once and
 * reused): the in-memory embedded store, the test token key, and WireMock standing in for signoff-service's gate and
 * notification-service's event intake.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "liftoff.store.embedded.backend=memory",
        "liftoff.security.public-key-location=classpath:liftoff-test-jwt.pub.pem",
        "liftoff.security.issuer-uri=" + TestJwts.ISSUER,
        "liftoff.outbox.poll-interval=100ms",
        "liftoff.outbox.initial-backoff=100ms",
        "liftoff.outbox.max-backoff=500ms",
        "spring.cloud.openfeign.client.config.signoff-gate.read-timeout=500",
        "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=1000" })
public abstract class AbstractIntegrationTest {

    protected static final WireMockServer PEERS = new WireMockServer(wireMockConfig().dynamicPort());

    static {
        PEERS.start();
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected MongoTemplate mongo;

    protected Api api;

    @DynamicPropertySource
    static void peers(DynamicPropertyRegistry registry) {
        registry.add("liftoff.signoff.url", PEERS::baseUrl);
        registry.add("liftoff.outbox.consumer-url", () -> PEERS.baseUrl() + "/api/events");
        registry.add("liftoff.outbox.batch", () -> "false"); // the peers stub one event per request
        registry.add("liftoff.outbox.consumers[0].url", () -> PEERS.baseUrl() + "/monitoring/api/events");
        registry.add("liftoff.outbox.consumers[0].types[0]", () -> "release.transitioned");
    }

    @BeforeEach
    void client() {
        api = new Api("http://localhost:" + port);
        PEERS.resetAll();
        PEERS.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/api/events")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(202)));
        PEERS.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/monitoring/api/events")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(202)));
    }

    /** The item tree of a release as a list in document order. */
    public static java.util.List<tools.jackson.databind.JsonNode> flatten(tools.jackson.databind.JsonNode items) {
        java.util.List<tools.jackson.databind.JsonNode> result = new java.util.ArrayList<>();
        for (tools.jackson.databind.JsonNode item : items) {
            result.add(item);
            result.addAll(flatten(item.path("children")));
        }
        return result;
    }

    public static String fixture() {
        try (InputStream in = AbstractIntegrationTest.class
                .getResourceAsStream("/fixtures/release-checklist-v1.1.0.md")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The fixture with another release version, so that each test opens its own release. */
    public static String fixture(String version) {
        return fixture().replace("**Release Version**: 1.1.0", "**Release Version**: " + version);
    }

    /** A unique version per call, so tests never collide on (product, version). */
    protected static String nextVersion() {
        return "9." + (System.nanoTime() % 1_000_000) + "." + COUNTER.incrementAndGet();
    }

    private static final java.util.concurrent.atomic.AtomicInteger COUNTER = new java.util.concurrent.atomic.AtomicInteger();

    // Tokens of the demo cast (DESIGN.md section 5), minted with the test key.
    public static String riley() {
        return TestJwts.user("riley").roles("release-manager").products("toolboxai").audience("checklist-service")
                .sign();
    }

    public static String eli() {
        return TestJwts.user("eli").roles("engineer").products("toolboxai").audience("checklist-service").sign();
    }

    public static String viewer() {
        return TestJwts.user("vera").roles("viewer").products("toolboxai").audience("checklist-service").sign();
    }

    public static String olga() {
        return TestJwts.user("olga").roles("engineer", "release-manager").products("otherco")
                .audience("checklist-service").sign();
    }

    public static String ada() {
        return TestJwts.user("ada").roles("auditor").audience("checklist-service").sign();
    }

    public static String monitoringService() {
        return TestJwts.user("service-account-monitoring-service").roles("service").audience("checklist-service")
                .claim("azp", "monitoring-service").sign();
    }

    public static String noRoles() {
        return TestJwts.user("nobody").roles("offline_access").products("toolboxai").audience("checklist-service")
                .sign();
    }
}
