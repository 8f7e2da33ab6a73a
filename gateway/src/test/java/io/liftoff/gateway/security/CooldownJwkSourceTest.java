package io.liftoff.gateway.security;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.text.ParseException;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.WebClient;

class CooldownJwkSourceTest {

    private final WireMockServer keycloak = new WireMockServer(wireMockConfig().dynamicPort());
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private CooldownJwkSource source;

    @BeforeEach
    void start() throws Exception {
        keycloak.start();
        serve(rsaKey("k1"));
        source = new CooldownJwkSource(WebClient.create(), keycloak.baseUrl() + "/certs", Duration.ofSeconds(30),
                clock);
    }

    @AfterEach
    void stop() {
        keycloak.stop();
    }

    @Test
    void theKeysAreFetchedOnceForManyTokens() {
        for (int i = 0; i < 5; i++) {
            assertThat(keysFor("k1")).extracting(JWK::getKeyID).containsExactly("k1");
        }
        keycloak.verify(1, getRequestedFor(urlEqualTo("/certs")));
    }

    @Test
    void unknownKeyIdsDoNotMakeTheGatewayCallTheIssuerAgainWithinTheCooldown() {
        keysFor("k1");

        for (int i = 0; i < 20; i++) {
            assertThat(keysFor("forged-" + i)).isEmpty();
        }

        keycloak.verify(1, getRequestedFor(urlEqualTo("/certs")));
    }

    @Test
    void aRotatedKeyIsPickedUpAfterTheCooldown() throws Exception {
        keysFor("k1");
        serve(rsaKey("k1"), rsaKey("k2"));
        clock.now = clock.now.plusSeconds(31);

        assertThat(keysFor("k2")).extracting(JWK::getKeyID).containsExactly("k2");
        assertThat(keysFor("k1")).extracting(JWK::getKeyID).containsExactly("k1");
        keycloak.verify(2, getRequestedFor(urlEqualTo("/certs")));
    }

    @Test
    void aFailedRefreshKeepsTheKnownKeys() {
        keysFor("k1");
        keycloak.stubFor(get("/certs").willReturn(aResponse().withStatus(503)));
        clock.now = clock.now.plusSeconds(31);

        assertThat(keysFor("k2")).isEmpty();
        assertThat(keysFor("k1")).extracting(JWK::getKeyID).containsExactly("k1");
    }

    private List<JWK> keysFor(String kid) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build().toBase64URL(),
                    Base64URL.encode("{}"), Base64URL.encode("sig"));
            return source.apply(jwt).collectList().block();
        }
        catch (ParseException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void serve(JWK... keys) {
        keycloak.stubFor(get("/certs").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(new JWKSet(List.of(keys)).toString())));
    }

    private static JWK rsaKey(String kid) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return new RSAKey.Builder((RSAPublicKey) generator.generateKeyPair().getPublic()).keyID(kid).build();
    }

    private static final class MutableClock extends Clock {

        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
