package io.liftoff.common.security;

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
 */
@ConfigurationProperties("liftoff.security")
public record LiftoffSecurityProperties(String issuerUri, String jwkSetUri, Resource publicKeyLocation,
        String audience) {

    public String effectiveJwkSetUri() {
        if (jwkSetUri != null && !jwkSetUri.isBlank()) {
            return jwkSetUri;
        }
        return issuerUri + "/protocol/openid-connect/certs";
    }
}
