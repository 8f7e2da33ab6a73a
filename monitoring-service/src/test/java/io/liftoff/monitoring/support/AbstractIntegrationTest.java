package io.liftoff.monitoring.support;

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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.liftoff.common.testing.Api;
import io.liftoff.common.testing.TestJwts;
import io.liftoff.monitoring.monitoring.EvaluationScheduler;
import io.liftoff.monitoring.monitoring.MonitoringService;
import io.liftoff.monitoring.samples.SampleStore;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One running monitoring-service for every integration test of the module: the in-memory embedded store, the test
 * token key, a clock the tests move by hand (the background ticker is off; tests run what is due themselves), and
 * WireMock standing in for checklist-service, Prometheus and notification-service's event intake.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "liftoff.store.embedded.backend=memory",
        "liftoff.security.public-key-location=classpath:liftoff-test-jwt.pub.pem",
        "liftoff.security.issuer-uri=" + TestJwts.ISSUER,
        "liftoff.outbox.poll-interval=100ms",
        "liftoff.outbox.initial-backoff=100ms",
        "liftoff.outbox.max-backoff=500ms",
        "liftoff.monitoring.scheduler-enabled=false",
        "liftoff.monitoring.public-url=http://monitoring.test",
        "liftoff.monitoring.alertmanager.shared-secret=" + AbstractIntegrationTest.ALERTMANAGER_SECRET,
        "liftoff.monitoring.prometheus.read-timeout=1s",
        "spring.cloud.openfeign.client.config.checklist-read.read-timeout=500",
        "spring.cloud.openfeign.client.config.checklist-write.read-timeout=500",
        "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=1000",
        "resilience4j.circuitbreaker.instances.prometheus.sliding-window-size=4",
        "resilience4j.circuitbreaker.instances.prometheus.minimum-number-of-calls=4",
        "resilience4j.circuitbreaker.instances.prometheus.wait-duration-in-open-state=1h" })
@Import(TestClockConfiguration.class)
public abstract class AbstractIntegrationTest {

    public static final String ALERTMANAGER_SECRET = "alertmanager-test-secret";
    public static final String PRODUCT = "toolboxai";

    protected static final WireMockServer PEERS = new WireMockServer(wireMockConfig().dynamicPort());
    protected static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    protected static final JsonMapper JSON = JsonMapper.builder().build();

    private static final AtomicInteger COUNTER = new AtomicInteger();

    static {
        PEERS.start();
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected MongoTemplate mongo;

    @Autowired
    protected MonitoringService monitoring;

    @Autowired
    protected EvaluationScheduler scheduler;

    @Autowired
    protected SampleStore samples;

    protected Api api;

    @DynamicPropertySource
    static void peers(DynamicPropertyRegistry registry) {
        registry.add("liftoff.checklist.url", PEERS::baseUrl);
        registry.add("liftoff.monitoring.prometheus.url", PEERS::baseUrl);
        registry.add("liftoff.outbox.consumer-url", () -> PEERS.baseUrl() + "/api/events");
        registry.add("liftoff.outbox.batch", () -> "false"); // the peers stub one event per request
    }

    @BeforeEach
    void client() {
        api = new Api("http://localhost:" + port);
        PEERS.resetAll();
        PEERS.stubFor(post("/api/events").willReturn(aResponse().withStatus(202)));
    }

    // ---------------------------------------------------------------- the release in checklist-service

    /** A fresh release id per call. */
    protected static String newReleaseId() {
        return "rel-" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The reference checklist as checklist-service answers it, with this id, status and deployment time. */
    protected static ObjectNode release(String id, String status, Instant deployedAt) {
        ObjectNode release = (ObjectNode) JSON.readTree(resource("/fixtures/release-v1.1.0-monitoring.json"));
        release.put("id", id);
        release.put("product", PRODUCT);
        release.put("status", status);
        if (deployedAt == null) {
            release.remove("deployedAt");
        }
        else {
            release.put("deployedAt", deployedAt.toString());
        }
        return release;
    }

    protected static void stubRelease(ObjectNode release, long etag) {
        PEERS.stubFor(get(urlEqualTo("/api/releases/" + release.path("id").asString()))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withHeader("ETag", "\"" + etag + "\"").withBody(release.toString())));
    }

    /** A release deployed at {@code deployedAt}, stubbed in checklist-service and monitored. */
    protected String monitoredRelease(Instant deployedAt) {
        String id = newReleaseId();
        stubRelease(release(id, "MONITORING", deployedAt), 7);
        Api.Response started = api.post("/api/releases/" + id + "/monitoring", riley(), "application/json", "");
        if (started.status() != 201) {
            throw new IllegalStateException("Monitoring did not start: " + started.status() + " " + started.body());
        }
        return id;
    }

    /** The id of the check of the item whose key ends with {@code keySuffix}. */
    protected String checkId(String releaseId, String keySuffix) {
        return monitoring.find(releaseId).getChecks().stream().filter(c -> c.getItemKey().endsWith(keySuffix))
                .findFirst().orElseThrow().getId();
    }

    protected Api.Response push(String releaseId, String token, String... samples) {
        return api.json("/api/releases/" + releaseId + "/samples", token,
                "{\"samples\":[" + String.join(",", samples) + "]}");
    }

    protected static String sample(String metric, double value, String unit, Instant at) {
        return "{\"metric\":\"" + metric + "\",\"value\":" + value + ",\"unit\":\"" + unit + "\",\"timestamp\":\""
                + at + "\",\"labels\":{\"instance\":\"api-1\"}}";
    }

    protected Api.Response patchCheck(String releaseId, String checkId, String body) {
        return api.patch("/api/releases/" + releaseId + "/monitoring/checks/" + checkId, riley(), null, body);
    }

    /** Events delivered to notification-service for a release, of one type. */
    protected static List<JsonNode> events(String releaseId, String type) {
        return PEERS.findAll(postRequestedFor(urlEqualTo("/api/events"))
                .withRequestBody(matchingJsonPath("$.releaseId", equalTo(releaseId)))
                .withRequestBody(matchingJsonPath("$.type", equalTo(type)))).stream()
                .map(LoggedRequest::getBodyAsString).map(JSON::readTree).toList();
    }

    protected static String resource(String path) {
        try (InputStream in = AbstractIntegrationTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    // ---------------------------------------------------------------- tokens of the demo cast

    public static String riley() {
        return TestJwts.user("riley").roles("release-manager").products(PRODUCT).audience("monitoring-service")
                .sign();
    }

    public static String eli() {
        return TestJwts.user("eli").roles("engineer").products(PRODUCT).audience("monitoring-service").sign();
    }

    public static String viewer() {
        return TestJwts.user("vera").roles("viewer").products(PRODUCT).audience("monitoring-service").sign();
    }

    public static String olga() {
        return TestJwts.user("olga").roles("engineer", "release-manager").products("otherco")
                .audience("monitoring-service").sign();
    }

    public static String ada() {
        return TestJwts.user("ada").roles("auditor").audience("monitoring-service").sign();
    }

    public static String service() {
        return TestJwts.user("service-account-checklist-service").roles("service").audience("monitoring-service")
                .claim("azp", "checklist-service").sign();
    }

    public static String noRoles() {
        return TestJwts.user("nobody").roles("offline_access").products(PRODUCT).audience("monitoring-service")
                .sign();
    }
}
