package io.liftoff.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints RS256 access tokens shaped like Keycloak's ({@code realm_access.roles}, {@code products}, {@code acr},
 * {@code auth_time}) with the test-only key in {@code liftoff-test-jwt.key.pem}. Services under test trust the
 * matching public key through {@code liftoff.security.public-key-location=classpath:liftoff-test-jwt.pub.pem}.
 */
public final class TestJwts {

    public static final String ISSUER = "https://keycloak.test/realms/liftoff";
    public static final String KEY_ID = "test-key";

    private static final RSAPrivateKey PRIVATE_KEY = readPrivateKey();

    private TestJwts() {
    }

    public static Builder user(String subject) {
        return new Builder(subject);
    }

    public static final class Builder {

        private final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        private String keyId = KEY_ID;

        private Builder(String subject) {
            Instant now = Instant.now();
            claims.subject(subject).issuer(ISSUER).issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plusSeconds(900))).jwtID(UUID.randomUUID().toString())
                    .claim("preferred_username", subject).claim("acr", "1")
                    .claim("auth_time", now.getEpochSecond()).claim("azp", "liftoff-cli");
        }

        public Builder roles(String... roles) {
            claims.claim("realm_access", Map.of("roles", List.of(roles)));
            return this;
        }

        public Builder products(String... products) {
            claims.claim("products", List.of(products));
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

        public Builder mfa(Instant authTime) {
            claims.claim("acr", "2").claim("auth_time", authTime.getEpochSecond());
            return this;
        }

        public Builder claim(String name, Object value) {
            claims.claim(name, value);
            return this;
        }

        public Builder keyId(String kid) {
            this.keyId = kid;
            return this;
        }

        public String sign() {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(),
                        claims.build());
                jwt.sign(new RSASSASigner(PRIVATE_KEY));
                return jwt.serialize();
            }
            catch (JOSEException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    private static RSAPrivateKey readPrivateKey() {
        try (InputStream in = TestJwts.class.getResourceAsStream("/liftoff-test-jwt.key.pem")) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return (RSAPrivateKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
