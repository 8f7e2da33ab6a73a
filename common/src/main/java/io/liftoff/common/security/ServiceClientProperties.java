package io.liftoff.common.security;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The service's own OAuth client, used for calls to other services (client credentials). Without a client id the
 * service sends no token (local tests against WireMock).
 */
@ConfigurationProperties("liftoff.service-client")
public record ServiceClientProperties(URI tokenUri, String clientId, String clientSecret) {

    public boolean configured() {
        return tokenUri != null && clientId != null && !clientId.isBlank();
    }
}
