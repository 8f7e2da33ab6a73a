package io.liftoff.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.liftoff.gateway.support.AbstractGatewayTest;
import io.liftoff.gateway.support.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenValidationIntegrationTest extends AbstractGatewayTest {

    @Test
    void aCallWithoutTokenIsRefusedWithABearerChallengeAndAProblem() {
        client.get().uri("/api/releases/r1").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer")
                .expectHeader().contentType("application/problem+json")
                .expectBody().jsonPath("$.type").isEqualTo("https://liftoff.dev/problems/unauthorized")
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.instance").isEqualTo("/api/releases/r1");
        assertThat(CHECKLIST.getAllServeEvents()).isEmpty();
    }

    static Stream<Arguments> badTokens() throws JOSEException {
        return Stream.of(
                Arguments.of("alg none", new PlainJWT(Tokens.user("mallory").claims()).serialize()),
                Arguments.of("HS256 signed with the public key bytes", hs256WithPublicKey()),
                Arguments.of("expired", Tokens.user("eve").expiresAt(Instant.now().minusSeconds(120)).sign()),
                Arguments.of("wrong issuer", Tokens.user("eve").issuer("https://evil.test/realms/liftoff").sign()),
                Arguments.of("wrong audience", Tokens.user("eve").audience("some-other-api").sign()),
                Arguments.of("unknown kid", Tokens.user("eve").keyId("not-our-key").sign()),
                Arguments.of("tampered payload", tamperedPayload()),
                Arguments.of("not a JWT", "abc.def.ghi"),
                Arguments.of("malformed header value", "two words"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void aBadTokenIsRefusedAtTheGateway(String kind, String token) {
        CHECKLIST.stubFor(get("/api/releases/r1").willReturn(aResponse().withStatus(200)));

        client.get().uri("/api/releases/r1").header("Authorization", bearer(token)).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueMatches("WWW-Authenticate", "Bearer error=\"invalid_token\".*")
                .expectBody().jsonPath("$.type").isEqualTo("https://liftoff.dev/problems/unauthorized");
        CHECKLIST.verify(0, getRequestedFor(urlEqualTo("/api/releases/r1")));
    }

    @Test
    void aTokenInTheQueryStringIsRefusedEvenWhenItIsValid() {
        CHECKLIST.stubFor(get(urlEqualTo("/api/releases/r1?access_token=x")).willReturn(aResponse().withStatus(200)));
        String token = Tokens.fresh();

        client.get().uri("/api/releases/r1?access_token={token}", token).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueMatches("WWW-Authenticate", "Bearer error=\"invalid_request\".*")
                .expectBody().jsonPath("$.detail")
                .isEqualTo("Send the access token in the Authorization header, never in the query string");
        client.get().uri("/api/releases/r1?access_token={token}", token).header("Authorization", bearer(token))
                .exchange().expectStatus().isUnauthorized();
        assertThat(CHECKLIST.getAllServeEvents()).isEmpty();
    }

    @Test
    void aTokenForAnyLiftoffAudienceIsAccepted() {
        CHECKLIST.stubFor(get("/api/releases/r1").willReturn(aResponse().withStatus(200)));

        for (String audience : new String[] { "liftoff-gateway", "signoff-service", "notification-service" }) {
            client.get().uri("/api/releases/r1")
                    .header("Authorization", bearer(Tokens.user("aud-" + audience).audience(audience).sign()))
                    .exchange().expectStatus().isOk();
        }
    }

    @Test
    void platformEventsAreForServicesOnly() {
        NOTIFICATION.stubFor(post("/api/events").willReturn(aResponse().withStatus(202)));

        client.post().uri("/api/events").header("Authorization", bearer(Tokens.fresh()))
                .header("Content-Type", "application/json").bodyValue("{}").exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType("application/problem+json")
                .expectBody().jsonPath("$.type").isEqualTo("https://liftoff.dev/problems/forbidden");
        client.post().uri("/api/events")
                .header("Authorization", bearer(Tokens.user("service-account-checklist").roles("service")
                        .client("checklist-service").sign()))
                .header("Content-Type", "application/json").bodyValue("{}").exchange()
                .expectStatus().isAccepted();
        assertThat(NOTIFICATION.getAllServeEvents()).hasSize(1);
    }

    @Test
    void healthAndDocsNeedNoToken() {
        client.get().uri("/actuator/health").exchange().expectStatus().isOk();
        client.get().uri("/api-docs/checklist-service.yaml").exchange().expectStatus().isOk();
        client.get().uri("/docs/index.html").exchange().expectStatus().isOk();
    }

    private static String hs256WithPublicKey() throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(Tokens.KEY_ID).build(),
                Tokens.user("mallory").claims());
        jwt.sign(new MACSigner(Tokens.KEYS.getPublic().getEncoded()));
        return jwt.serialize();
    }

    private static String tamperedPayload() {
        String[] parts = Tokens.user("eve").sign().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"engineer\"", "\"admin\"");
        return parts[0] + "." + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }
}
