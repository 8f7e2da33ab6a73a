package io.liftoff.common.security;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

/**
 * Obtains the service's own token with the OAuth 2.1 client-credentials grant and reuses it until shortly before it
 * expires. The token itself is never parsed or logged.
 */
public class ClientCredentialsTokenSource implements ServiceTokenSource {

    private static final Duration REFRESH_MARGIN = Duration.ofSeconds(30);

    private final RestClient restClient;
    private final URI tokenUri;
    private final String clientId;
    private final String clientSecret;
    private final Clock clock;
    private String token;
    private Instant expiresAt = Instant.MIN;

    public ClientCredentialsTokenSource(RestClient restClient, URI tokenUri, String clientId, String clientSecret,
            Clock clock) {
        this.restClient = restClient;
        this.tokenUri = tokenUri;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
    }

    @Override
    public synchronized Optional<String> token() {
        Instant now = clock.instant();
        if (token == null || now.isAfter(expiresAt.minus(REFRESH_MARGIN))) {
            MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
            form.add("grant_type", "client_credentials");
            Map<String, Object> response = restClient.post().uri(tokenUri)
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .headers(headers -> headers.setBasicAuth(clientId, clientSecret))
                    .body(form)
                    .retrieve()
                    .body(new ParameterizedTypeReference<Map<String, Object>>() {
                    });
            if (response == null || !(response.get("access_token") instanceof String accessToken)) {
                throw new IllegalStateException("The token endpoint answered without an access token");
            }
            long expiresIn = response.get("expires_in") instanceof Number n ? n.longValue() : 60;
            token = accessToken;
            expiresAt = now.plusSeconds(expiresIn);
        }
        return Optional.of(token);
    }
}
