package io.liftoff.gateway.support;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Keycloak-shaped RS256 access tokens signed with an RSA key generated for this test run; {@link #jwkSetJson()} is
 * the matching JWK set that WireMock serves as the issuer's certs endpoint.
 */
public final class Tokens {

    public static final String ISSUER = "https://keycloak.test/realms/liftoff";
    public static final String KEY_ID = "gateway-test-key";
    public static final KeyPair KEYS = generate();

    private Tokens() {
    }

    public static Builder user(String subject) {
        return new Builder(subject);
    }

    /** A user token with a subject of its own, so that tests never share a rate-limit bucket. */
    public static String fresh() {
        return user("user-" + UUID.randomUUID()).sign();
    }

    public static String jwkSetJson() {
        RSAKey jwk = new RSAKey.Builder((RSAPublicKey) KEYS.getPublic()).keyID(KEY_ID).build();
        return new JWKSet(jwk).toString();
    }

    public static final class Builder {

        private final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        private String keyId = KEY_ID;

        private Builder(String subject) {
            Instant now = Instant.now();
            claims.subject(subject).issuer(ISSUER).issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plusSeconds(900))).jwtID(UUID.randomUUID().toString())
                    .audience(List.of("checklist-service")).claim("azp", "liftoff-cli").claim("acr", "1")
                    .claim("realm_access", Map.of("roles", List.of("engineer")))
                    .claim("products", List.of("toolboxai"));
        }

        public Builder roles(String... roles) {
            claims.claim("realm_access", Map.of("roles", List.of(roles)));
            return this;
        }

        public Builder audience(String... audience) {
            claims.audience(List.of(audience));
            return this;
        }

        public Builder issuer(String issuer) {
            claims.issuer(issuer);
            return this;
        }

        public Builder expiresAt(Instant expiry) {
            claims.expirationTime(Date.from(expiry));
            return this;
        }

        public Builder client(String azp) {
            claims.claim("azp", azp);
            return this;
        }

        public Builder keyId(String kid) {
            this.keyId = kid;
            return this;
        }

        public JWTClaimsSet claims() {
            return claims.build();
        }

        public String sign() {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(),
                        claims.build());
                jwt.sign(new RSASSASigner((RSAPrivateKey) KEYS.getPrivate()));
                return jwt.serialize();
            }
            catch (JOSEException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
