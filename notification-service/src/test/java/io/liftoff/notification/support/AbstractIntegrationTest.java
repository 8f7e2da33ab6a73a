package io.liftoff.notification.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.liftoff.common.testing.Api;
import io.liftoff.common.testing.TestJwts;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One running notification-service for every integration test of the module (the Spring context is built once and
 * reused): the in-memory embedded store, the test token key, WireMock standing in for checklist-service
 * ({@link #PEERS}) and for Slack and webhook receivers ({@link #RECEIVERS}), and a real in-process SMTP server
 * (GreenMail). Timings are short: retries after 100 ms, escalation after 1 s. Each test works on its own release id,
 * so channels and contacts of one test never reach another's events.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "liftoff.store.embedded.backend=memory",
        "liftoff.security.public-key-location=classpath:liftoff-test-jwt.pub.pem",
        "liftoff.security.issuer-uri=" + TestJwts.ISSUER,
        "liftoff.notification.addresses.allowed-hosts=localhost,127.0.0.1",
        "liftoff.notification.contacts-ttl=0s",
        "liftoff.notification.delivery.initial-backoff=100ms",
        "liftoff.notification.delivery.max-backoff=400ms",
        "liftoff.notification.delivery.max-attempts=4",
        "liftoff.notification.delivery.lease=3s",
        "liftoff.notification.delivery.recovery-interval=300ms",
        "liftoff.notification.delivery.connect-timeout=500ms",
        "liftoff.notification.delivery.read-timeout=3s",
        "liftoff.notification.breaker.open-for=300ms",
        "liftoff.notification.escalation.default-delay=1s",
        "liftoff.notification.escalation.poll-interval=100ms",
        "liftoff.notification.escalation.rules[0].event-type=metric.breached",
        "liftoff.notification.escalation.rules[0].severity=CRITICAL",
        "liftoff.notification.escalation.rules[0].start-level=1",
        "liftoff.notification.escalation.rules[0].escalate=true",
        "liftoff.notification.escalation.rules[0].delay=700ms",
        "liftoff.notification.escalation.rules[0].after-last-level=REPEAT",
        "liftoff.notification.escalation.rules[0].max-rounds=2",
        "spring.cloud.openfeign.client.config.checklist.read-timeout=1000",
        "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=1000" })
public abstract class AbstractIntegrationTest {

    /** checklist-service. */
    protected static final WireMockServer PEERS = new WireMockServer(wireMockConfig().dynamicPort());
    /** Slack and webhook receivers. */
    protected static final WireMockServer RECEIVERS = new WireMockServer(
            wireMockConfig().dynamicPort().containerThreads(40));
    protected static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());

    static {
        PEERS.start();
        RECEIVERS.start();
        SMTP.start();
    }

    private static final AtomicInteger COUNTER = new AtomicInteger();

    @LocalServerPort
    protected int port;

    @Autowired
    protected MongoTemplate mongo;

    protected Api api;

    @Autowired
    private org.springframework.beans.factory.ObjectProvider<io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry> breakers;

    @DynamicPropertySource
    static void peers(DynamicPropertyRegistry registry) {
        registry.add("liftoff.checklist.url", PEERS::baseUrl);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    }

    @BeforeEach
    void client() {
        api = new Api("http://localhost:" + port);
        // tests that make checklist-service fail must not leave its circuit breaker open for the next ones
        breakers.ifAvailable(registry -> registry.getAllCircuitBreakers().forEach(b -> b.transitionToClosedState()));
    }

    // ---- the checklist and the events

    /** A fresh release id whose checklist (the fixture's contacts) checklist-service serves. */
    protected static String stubbedRelease() {
        return stubbedRelease("toolboxai");
    }

    /** A fresh release of the given product (the fixture's checklist with another product). */
    protected static String stubbedRelease(String product) {
        String releaseId = "rel-" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        PEERS.stubFor(get("/api/releases/" + releaseId).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("ETag", "\"7\"")
                .withBody(resource("/checklist/release-toolboxai-1.1.0.json").replace("RELEASE_ID", releaseId)
                        .replace("\"product\": \"toolboxai\"", "\"product\": \"" + product + "\""))));
        return releaseId;
    }

    protected static String event(String type, String releaseId, String dataJson) {
        return event(UUID.randomUUID().toString(), type, releaseId, "toolboxai", dataJson);
    }

    protected static String event(String eventId, String type, String releaseId, String product, String dataJson) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"" + type + "\",\"releaseId\":\"" + releaseId
                + "\",\"product\":\"" + product + "\",\"occurredAt\":\"" + Instant.now() + "\",\"actor\":\"eli\","
                + "\"data\":" + dataJson + "}";
    }

    /** PUT with a JSON body (the shared {@link Api} has no PUT). */
    protected Api.Response put(String path, String token, String json) {
        return send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)), token);
    }

    protected Api.Response delete(String path, String token) {
        return send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path))
                .DELETE(), token);
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    private static Api.Response send(java.net.http.HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            java.net.http.HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Api.Response(response.statusCode(), response.headers(), response.body());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    protected Api.Response postEvent(String json) {
        return api.json("/api/events", checklistService(), json);
    }

    /** Posts the event and answers its notification id. */
    protected String send(String type, String releaseId, String dataJson) {
        Api.Response response = postEvent(event(type, releaseId, dataJson));
        if (response.status() != 202) {
            throw new AssertionError("event refused: " + response.status() + " " + response.body());
        }
        return response.json().path("notificationId").asString();
    }

    protected String channel(String releaseId, String type, String path, String extraJson) {
        String body = "{\"product\":\"toolboxai\",\"releaseId\":\"" + releaseId + "\",\"name\":\"" + type + " "
                + path + "\",\"type\":\"" + type + "\",\"url\":\"" + RECEIVERS.baseUrl() + path + "\""
                + (extraJson == null ? "" : "," + extraJson) + "}";
        Api.Response created = api.json("/api/channels", riley(), body);
        if (created.status() != 201) {
            throw new AssertionError("channel refused: " + created.status() + " " + created.body());
        }
        return created.json().path("id").asString();
    }

    protected JsonNode notification(String id) {
        return api.get("/api/notifications/" + id, admin()).json();
    }

    protected static List<String> statuses(JsonNode notification) {
        List<String> result = new ArrayList<>();
        notification.path("deliveries").forEach(d -> result.add(d.path("status").asString()));
        return result;
    }

    protected static void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
    }

    /** The e-mails GreenMail received for one notification (by the delivery id header). */
    protected static List<MimeMessage> mailsOf(String notificationId) {
        List<MimeMessage> result = new ArrayList<>();
        for (MimeMessage message : SMTP.getReceivedMessages()) {
            try {
                String[] header = message.getHeader("X-Liftoff-Delivery-Id");
                if (header != null && header[0].startsWith(notificationId + "|")) {
                    result.add(message);
                }
            }
            catch (MessagingException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return result;
    }

    /** The text parts of a (nested multipart) e-mail by content type: text/plain, text/html. */
    protected static java.util.Map<String, String> textParts(MimeMessage mail) throws Exception {
        java.util.Map<String, String> parts = new java.util.LinkedHashMap<>();
        collectParts(mail.getContent(), parts);
        return parts;
    }

    private static void collectParts(Object content, java.util.Map<String, String> parts) throws Exception {
        if (content instanceof jakarta.mail.Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                var part = multipart.getBodyPart(i);
                if (part.getContent() instanceof jakarta.mail.Multipart nested) {
                    collectParts(nested, parts);
                }
                else {
                    parts.put(part.getContentType().split(";")[0].trim(), part.getContent().toString());
                }
            }
        }
    }

    protected static String resource(String path) {
        try (InputStream in = AbstractIntegrationTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    // ---- tokens of the demo cast (DESIGN.md section 5), minted with the test key

    public static String checklistService() {
        return TestJwts.user("service-account-checklist-service").roles("service").audience("notification-service")
                .claim("azp", "checklist-service").sign();
    }

    public static String riley() {
        return TestJwts.user("riley").roles("release-manager").products("toolboxai").audience("notification-service")
                .sign();
    }

    public static String eli() {
        return TestJwts.user("eli").roles("engineer").products("toolboxai").audience("notification-service").sign();
    }

    public static String viewer() {
        return TestJwts.user("vera").roles("viewer").products("toolboxai").audience("notification-service").sign();
    }

    public static String olga() {
        return TestJwts.user("olga").roles("engineer", "release-manager").products("otherco")
                .audience("notification-service").sign();
    }

    public static String ada() {
        return TestJwts.user("ada").roles("auditor").audience("notification-service").sign();
    }

    public static String admin() {
        return TestJwts.user("root").roles("admin").audience("notification-service").sign();
    }

    public static String noRoles() {
        return TestJwts.user("nobody").roles("offline_access").products("toolboxai")
                .audience("notification-service").sign();
    }
}
