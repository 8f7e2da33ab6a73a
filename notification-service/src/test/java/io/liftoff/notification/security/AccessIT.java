package io.liftoff.notification.security;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.liftoff.common.security.HeaderBearerTokenResolver;
import io.liftoff.common.security.HeaderCharacters;
import io.liftoff.common.testing.Api;
import io.liftoff.notification.support.AbstractIntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * Every endpoint with no token (401), a role that may not (403), a caller of another product (404, as if it did
 * not exist) and a caller who may (2xx).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessIT extends AbstractIntegrationTest {

    private static final String PROBLEMS = "https://liftoff.dev/problems/";

    private String releaseId;
    private String notificationId;
    private String deadLetterId;
    private String channelId;
    private String channelToDelete;

    @BeforeAll
    void fixtures() {
        api = new Api("http://localhost:" + port);
        releaseId = stubbedRelease();
        RECEIVERS.stubFor(post("/access/" + releaseId).willReturn(aResponse().withStatus(410)));
        channelId = channel(releaseId, "WEBHOOK", "/access/" + releaseId, null);
        channelToDelete = channel(releaseId, "WEBHOOK", "/access/" + releaseId, "\"enabled\":false");
        notificationId = send("item.updated", releaseId, "{\"itemId\":\"it-staging\",\"toState\":\"DONE\"}");
        await("a dead letter", Duration.ofSeconds(10),
                () -> statuses(notification(notificationId)).equals(List.of("DEAD_LETTER")));
        deadLetterId = URLEncoder.encode(notification(notificationId).path("deliveries").get(0).path("id").asString(),
                StandardCharsets.UTF_8);
    }

    private record Call(String method, Supplier<String> path, String body) {
    }

    private Api.Response call(Call call, String token) {
        String path = call.path().get();
        return switch (call.method()) {
            case "GET" -> api.get(path, token);
            case "POST" -> api.json(path, token, call.body());
            case "PUT" -> put(path, token, call.body());
            case "DELETE" -> delete(path, token);
            default -> throw new IllegalArgumentException(call.method());
        };
    }

    private String channelBody(String product) {
        return "{\"product\":\"" + product + "\",\"releaseId\":\"" + releaseId + "\",\"name\":\"hook\","
                + "\"type\":\"WEBHOOK\",\"url\":\"" + RECEIVERS.baseUrl() + "/access/" + releaseId + "\"}";
    }

    /** endpoint, call, forbidden role's token, other product's token (null: not applicable), allowed token, status. */
    Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of("POST /api/events", new Call("POST", () -> "/api/events",
                        event("release.created", "r-" + UUID.randomUUID(), "{}")), riley(), null,
                        checklistService(), 202),
                Arguments.of("POST /api/events/batch", new Call("POST", () -> "/api/events/batch",
                        "{\"events\":[" + event("release.created", "r-" + UUID.randomUUID(), "{}") + "]}"), riley(),
                        null, checklistService(), 200),
                Arguments.of("GET /api/notifications", new Call("GET", () -> "/api/notifications?product=toolboxai",
                        null), noRoles(), olga(), eli(), 200),
                Arguments.of("GET /api/notifications/{id}", new Call("GET",
                        () -> "/api/notifications/" + notificationId, null), noRoles(), olga(), viewer(), 200),
                Arguments.of("POST /api/notifications/{id}/ack (service)", new Call("POST",
                        () -> "/api/notifications/" + notificationId + "/ack", "{}"), checklistService(), olga(),
                        viewer(), 200),
                Arguments.of("POST /api/notifications/{id}/ack (auditor)", new Call("POST",
                        () -> "/api/notifications/" + notificationId + "/ack", "{}"), ada(), olga(), eli(), 200),
                Arguments.of("GET /api/deliveries", new Call("GET", () -> "/api/deliveries?product=toolboxai", null),
                        noRoles(), olga(), eli(), 200),
                Arguments.of("POST /api/deliveries/{id}/replay", new Call("POST",
                        () -> "/api/deliveries/" + deadLetterId + "/replay", ""), eli(), olga(), riley(), 202),
                Arguments.of("POST /api/channels", new Call("POST", () -> "/api/channels", channelBody("toolboxai")),
                        eli(), olga(), riley(), 201),
                Arguments.of("POST /api/channels (auditor)", new Call("POST", () -> "/api/channels",
                        channelBody("toolboxai")), ada(), olga(), admin(), 201),
                Arguments.of("GET /api/channels", new Call("GET", () -> "/api/channels?product=toolboxai", null),
                        noRoles(), olga(), eli(), 200),
                Arguments.of("GET /api/channels/{id}", new Call("GET", () -> "/api/channels/" + channelId, null),
                        noRoles(), olga(), eli(), 200),
                Arguments.of("PUT /api/channels/{id}", new Call("PUT", () -> "/api/channels/" + channelId,
                        channelBody("toolboxai")), eli(), olga(), riley(), 200),
                Arguments.of("DELETE /api/channels/{id}", new Call("DELETE", () -> "/api/channels/" + channelToDelete,
                        null), eli(), olga(), riley(), 204),
                Arguments.of("GET /api/products/{p}/contacts", new Call("GET", () -> "/api/products/toolboxai/contacts",
                        null), noRoles(), olga(), eli(), 200),
                Arguments.of("PUT /api/products/{p}/contacts", new Call("PUT", () -> "/api/products/toolboxai/contacts",
                        "{}"), eli(), olga(), riley(), 200),
                Arguments.of("GET /api/products/{p}/releases/{r}/contacts", new Call("GET",
                        () -> "/api/products/toolboxai/releases/" + releaseId + "/contacts", null), noRoles(), olga(),
                        eli(), 200),
                Arguments.of("PUT /api/products/{p}/releases/{r}/contacts", new Call("PUT",
                        () -> "/api/products/toolboxai/releases/" + releaseId + "/contacts", "{}"), eli(), olga(),
                        riley(), 200),
                Arguments.of("GET /api/products/{p}/templates", new Call("GET",
                        () -> "/api/products/toolboxai/templates", null), noRoles(), olga(), eli(), 200),
                Arguments.of("PUT /api/products/{p}/templates/{type}", new Call("PUT",
                        () -> "/api/products/toolboxai/templates/signoff.revoked",
                        "{\"title\":\"Revoked: {{signoff.role}}\",\"text\":\"{{link}}\"}"), eli(), olga(), riley(),
                        200),
                Arguments.of("DELETE /api/products/{p}/templates/{type}", new Call("DELETE",
                        () -> "/api/products/toolboxai/templates/signoff.revoked", null), eli(), olga(), riley(),
                        204));
    }

    @Autowired
    private FilterChainProxy securityFilters;

    /** The chain reads bearer tokens with common's resolver: Spring's default answers, without its regex. */
    @Test
    void theChainReadsTokensWithTheSharedResolver() {
        Object filter = securityFilters.getFilterChains().get(0).getFilters().stream()
                .filter(f -> f instanceof BearerTokenAuthenticationFilter).findFirst().orElseThrow();
        Object converter = ReflectionTestUtils.getField(filter, "authenticationConverter");
        assertThat(ReflectionTestUtils.getField(converter, "bearerTokenResolver"))
                .isInstanceOf(HeaderBearerTokenResolver.class);
        Api.Response malformed = api.get("/api/notifications", "a b");
        assertThat(malformed.status()).isEqualTo(401);
    }

    /** The chain's firewall checks headers with common's predicates: the strict firewall's verdicts, no regex. */
    @Test
    void theChainsFirewallChecksHeadersWithoutRegularExpressions() {
        // the bean is Spring Security's composite proxy; the proxy that filters requests is inside it
        Object chain = ReflectionTestUtils.getField(securityFilters, "springSecurityFilterChain");
        Object firewall = ReflectionTestUtils.getField(chain, "firewall");
        assertThat(firewall).isInstanceOf(org.springframework.security.web.firewall.StrictHttpFirewall.class);
        assertThat(ReflectionTestUtils.getField(firewall, "allowedHeaderNames")).isSameAs(HeaderCharacters.NAME);
        assertThat(ReflectionTestUtils.getField(firewall, "allowedHeaderValues")).isSameAs(HeaderCharacters.VALUE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void withoutATokenTheAnswerIs401(String name, Call call, String forbidden, String otherProduct, String allowed,
            int status) {
        Api.Response response = call(call, null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.problemType()).isEqualTo(PROBLEMS + "unauthorized");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void aRoleThatMayNotIsRefusedWith403(String name, Call call, String forbidden, String otherProduct,
            String allowed, int status) {
        Api.Response response = call(call, forbidden);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.problemType()).isEqualTo(PROBLEMS + "forbidden");
    }

    /** The endpoints of a product's data (the event intake is for services, which read every product). */
    Stream<Arguments> productEndpoints() {
        return endpoints().filter(arguments -> arguments.get()[3] != null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("productEndpoints")
    void anotherProductsDataAnswers404(String name, Call call, String forbidden, String otherProduct,
            String allowed, int status) {
        Api.Response response = call(call, otherProduct);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.problemType()).isEqualTo(PROBLEMS + "not-found");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void aCallerWhoMayIsServed(String name, Call call, String forbidden, String otherProduct, String allowed,
            int status) {
        Api.Response response = call(call, allowed);

        assertThat(response.status()).as(response.body()).isEqualTo(status);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void aTokenForAnotherAudienceIsRefusedWith401(String name, Call call, String forbidden, String otherProduct,
            String allowed, int status) {
        String wrongAudience = io.liftoff.common.testing.TestJwts.user("riley").roles("release-manager", "service")
                .products("toolboxai").audience("checklist-service").sign();

        assertThat(call(call, wrongAudience).status()).isEqualTo(401);
    }
}
