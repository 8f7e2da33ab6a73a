package io.liftoff.gateway.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.time.Duration;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One running gateway for every integration test of the module (the context is built once and reused), in front of
 * four WireMock servers standing in for the services and a fifth serving the issuer's JWK set. Rate limits: 1
 * request per second per user (burst 3), generous per client; every test uses users of its own
 * ({@link Tokens#fresh()}). Bodies are limited to 1 KB; signoff-service's calls time out after 1 s; at most 2
 * calls to monitoring-service are in flight at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "liftoff.security.issuer-uri=" + Tokens.ISSUER,
        "liftoff.gateway.rate-limit.user.replenish-rate=1",
        "liftoff.gateway.rate-limit.user.burst-capacity=3",
        "liftoff.gateway.rate-limit.client.replenish-rate=10000",
        "liftoff.gateway.rate-limit.client.burst-capacity=10000",
        "liftoff.gateway.max-body-size=1KB",
        "liftoff.gateway.cors.allowed-origins=https://app.liftoff.test",
        "resilience4j.timelimiter.instances.signoff.timeout-duration=1s",
        "resilience4j.bulkhead.instances.monitoring.max-concurrent-calls=2",
        "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=1000" })
public abstract class AbstractGatewayTest {

    protected static final WireMockServer CHECKLIST = started();
    protected static final WireMockServer SIGNOFF = started();
    protected static final WireMockServer MONITORING = started();
    protected static final WireMockServer NOTIFICATION = started();
    protected static final WireMockServer KEYCLOAK = started();

    @LocalServerPort
    protected int port;

    protected WebTestClient client;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("liftoff.gateway.services.checklist", CHECKLIST::baseUrl);
        registry.add("liftoff.gateway.services.signoff", SIGNOFF::baseUrl);
        registry.add("liftoff.gateway.services.monitoring", MONITORING::baseUrl);
        registry.add("liftoff.gateway.services.notification", NOTIFICATION::baseUrl);
        registry.add("liftoff.security.jwk-set-uri", () -> KEYCLOAK.baseUrl() + "/realms/liftoff/certs");
    }

    @BeforeEach
    void resetBackends() {
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(10))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build();
        for (WireMockServer backend : new WireMockServer[] { CHECKLIST, SIGNOFF, MONITORING, NOTIFICATION }) {
            backend.resetAll();
        }
        KEYCLOAK.resetAll();
        KEYCLOAK.stubFor(get("/realms/liftoff/certs").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(Tokens.jwkSetJson())));
    }

    protected static String bearer(String token) {
        return "Bearer " + token;
    }

    private static WireMockServer started() {
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        return server;
    }
}
