package io.liftoff.signoff.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.liftoff.common.testing.Api;
import io.liftoff.common.testing.TestJwts;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One running signoff-service for every integration test of the module: the in-memory embedded store, the test token
 * key, and WireMock standing in for checklist-service (serving the fixture release, imported from
 * {@code release-checklist-v1.1.0.md}) and for notification-service's event intake.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "liftoff.store.embedded.backend=memory",
        "liftoff.security.public-key-location=classpath:liftoff-test-jwt.pub.pem",
        "liftoff.security.issuer-uri=" + TestJwts.ISSUER,
        "liftoff.outbox.poll-interval=100ms",
        "liftoff.outbox.initial-backoff=100ms",
        "liftoff.outbox.max-backoff=500ms",
        "liftoff.signoff.recovery-interval=1h",
        "liftoff.signoff.products.relaxed.creator-may-approve-pre-release=true",
        "spring.cloud.openfeign.client.config.checklist.read-timeout=500",
        "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=1000" })
public abstract class AbstractIntegrationTest {

    protected static final WireMockServer PEERS = new WireMockServer(wireMockConfig().dynamicPort());
    protected static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String FIXTURE = readFixture();

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
        registry.add("liftoff.checklist.url", PEERS::baseUrl);
        registry.add("liftoff.outbox.consumer-url", () -> PEERS.baseUrl() + "/api/events");
        registry.add("liftoff.outbox.batch", () -> "false"); // the peers stub one event per request
    }

    @BeforeEach
    void client() {
        api = new Api("http://localhost:" + port);
        PEERS.resetAll();
        PEERS.stubFor(post("/api/events").willReturn(aResponse().withStatus(202)));
    }

    /** The fixture release as checklist-service serves it, with a fresh id, status DRAFT, created by riley. */
    protected static ObjectNode fixtureRelease() {
        ObjectNode release = (ObjectNode) JSON.readTree(FIXTURE);
        release.put("id", UUID.randomUUID().toString());
        return release;
    }

    /** Serves the release from the WireMock checklist-service; returns its id. */
    protected static String serve(ObjectNode release) {
        String id = release.path("id").asString();
        PEERS.stubFor(get(urlEqualTo("/api/releases/" + id)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("ETag", "\"" + release.path("checklistVersion").asLong() + "\"")
                .withBody(release.toString())));
        return id;
    }

    protected static String newRelease() {
        return serve(fixtureRelease());
    }

    protected static String newRelease(Consumer<ObjectNode> change) {
        ObjectNode release = fixtureRelease();
        change.accept(release);
        return serve(release);
    }

    /** Changes the item with {@code key} (any depth) and bumps the checklist version, as checklist-service would. */
    protected static void changeItem(ObjectNode release, String key, String field, String value) {
        if (!changeIn(release.path("items"), key, field, value)) {
            throw new IllegalArgumentException("no item " + key);
        }
        release.put("checklistVersion", release.path("checklistVersion").asLong() + 1);
    }

    private static boolean changeIn(JsonNode items, String key, String field, String value) {
        for (JsonNode item : items) {
            if (key.equals(item.path("key").asString())) {
                ((ObjectNode) item).put(field, value);
                return true;
            }
            if (changeIn(item.path("children"), key, field, value)) {
                return true;
            }
        }
        return false;
    }

    protected static String signoffJson(String role, String decision) {
        return "{\"role\":\"" + role + "\",\"decision\":\"" + decision + "\",\"comment\":\"checked\"}";
    }

    // Tokens of the demo cast (DESIGN.md section 5), minted with the test key; signers authenticated with TOTP now.
    protected static String signer(String user, String... roles) {
        return TestJwts.user(user).roles(roles).products("toolboxai").audience("signoff-service")
                .mfa(Instant.now()).sign();
    }

    protected static String emma() {
        return signer("emma", "engineering-manager");
    }

    protected static String sam() {
        return signer("sam", "security-lead");
    }

    protected static String riley() {
        return signer("riley", "release-manager");
    }

    protected static String ada() {
        return TestJwts.user("ada").roles("auditor").audience("signoff-service").mfa(Instant.now()).sign();
    }

    protected static String admin() {
        return TestJwts.user("root").roles("admin").audience("signoff-service").sign();
    }

    protected static String viewer() {
        return TestJwts.user("vera").roles("viewer").products("toolboxai").audience("signoff-service").sign();
    }

    protected static String olga() {
        return TestJwts.user("olga").roles("engineer", "release-manager", "security-lead").products("otherco")
                .audience("signoff-service").mfa(Instant.now()).sign();
    }

    protected static String checklistService() {
        return TestJwts.user("service-account-checklist-service").roles("service").audience("signoff-service")
                .claim("azp", "checklist-service").sign();
    }

    /** Signs every pre-release role of the fixture with a different person each; returns nothing, asserts 201s. */
    protected void signAllPreRelease(String releaseId) {
        String[][] cast = { { "emma", "engineering-manager" }, { "sam", "security-lead" }, { "quinn", "qa-lead" },
                { "dana", "devops-lead" }, { "paula", "product-manager" } };
        for (String[] person : cast) {
            Api.Response response = api.json("/api/releases/" + releaseId + "/signoffs", signer(person[0], person[1]),
                    signoffJson(person[1], "APPROVE"));
            if (response.status() != 201) {
                throw new AssertionError(person[1] + " sign-off answered " + response.status() + ": "
                        + response.body());
            }
        }
    }

    private static String readFixture() {
        try (InputStream in = AbstractIntegrationTest.class.getResourceAsStream("/fixtures/release-v1.1.0.json")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
