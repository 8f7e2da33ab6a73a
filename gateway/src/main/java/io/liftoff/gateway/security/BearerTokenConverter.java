package io.liftoff.gateway.security;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;

/**
 * Reads the bearer token from the {@code Authorization} header only (RFC 6750 section 2.1), without the regular
 * expression of Spring Security's converter: a case-insensitive scheme check and a character scan. A token in the
 * query string ({@code access_token}) is refused outright, whatever else the request carries: URLs end up in logs,
 * histories and {@code Referer} headers.
 */
public class BearerTokenConverter implements ServerAuthenticationConverter {

    static final String QUERY_PARAMETER = "access_token";
    private static final String SCHEME = "Bearer ";

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        String query = request.getURI().getRawQuery();
        if (query != null && query.contains(QUERY_PARAMETER) && request.getQueryParams().containsKey(QUERY_PARAMETER)) {
            return Mono.error(new OAuth2AuthenticationException(
                    BearerTokenErrors.invalidRequest("Send the access token in the Authorization header, "
                            + "never in the query string")));
        }
        String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Mono.empty();
        }
        String token = header.substring(SCHEME.length());
        if (!isB64Token(token)) {
            return Mono.error(new OAuth2AuthenticationException(
                    BearerTokenErrors.invalidToken("The bearer token is malformed")));
        }
        return Mono.just(new BearerTokenAuthenticationToken(token));
    }

    /** RFC 6750 b64token: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    static boolean isB64Token(String token) {
        int length = token.length();
        int end = length;
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
