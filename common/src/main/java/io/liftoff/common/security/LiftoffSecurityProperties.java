package io.liftoff.common.security;

import org.springframework.boot.context.properties.bind.DefaultValue;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * How a service validates access tokens. Every service checks issuer, signature (RS256), expiry and audience itself.
 *
 * @param issuerUri         the expected {@code iss}, e.g. {@code http://localhost:8180/realms/liftoff}
 * @param jwkSetUri         where the signing keys are fetched (lazily, on the first token); defaults to Keycloak's
 *                          certs endpoint under the issuer
 * @param publicKeyLocation an RSA public key (PEM) to use instead of a JWK set; for tests and air-gapped set-ups
 * @param audience          the {@code aud} a token must contain; defaults to the application name
 * @param tokenCacheSize    how many validated tokens are remembered (by SHA-256) until they expire; 0 turns it off
 */
@ConfigurationProperties("liftoff.security")
public record LiftoffSecurityProperties(String issuerUri, String jwkSetUri, Resource publicKeyLocation,
        String audience, @DefaultValue("10000") int tokenCacheSize) {

    public String effectiveJwkSetUri() {
        if (jwkSetUri != null && !jwkSetUri.isBlank()) {
            return jwkSetUri;
        }
        return issuerUri + "/protocol/openid-connect/certs";
    }
}
