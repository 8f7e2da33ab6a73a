package io.liftoff.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.util.StringUtils;

/**
 * Who issues the tokens and where their keys are: the same settings, under the same names, as every Liftoff service.
 *
 * @param issuerUri         the expected {@code iss}
 * @param jwkSetUri         the issuer's JWK set; defaults to Keycloak's certs endpoint under the issuer
 * @param publicKeyLocation an RSA public key (PEM) used instead of a JWK set (air-gapped set-ups, the benchmark)
 */
@ConfigurationProperties("liftoff.security")
public record IssuerProperties(String issuerUri, String jwkSetUri, Resource publicKeyLocation) {

    public String effectiveJwkSetUri() {
        return StringUtils.hasText(jwkSetUri) ? jwkSetUri : issuerUri + "/protocol/openid-connect/certs";
    }
}
