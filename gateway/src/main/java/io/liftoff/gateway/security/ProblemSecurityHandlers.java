package io.liftoff.gateway.security;

import io.liftoff.gateway.edge.Problems;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * The gateway's own 401 and 403: problem bodies and RFC 6750 {@code WWW-Authenticate} challenges with fixed
 * descriptions (never a library's message, which would tell an attacker which check failed).
 */
class ProblemSecurityHandlers implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
        String detail;
        String challenge;
        if (failure instanceof OAuth2AuthenticationException oauth
                && OAuth2ErrorCodes.INVALID_REQUEST.equals(oauth.getError().getErrorCode())) {
            detail = "Send the access token in the Authorization header, never in the query string";
            challenge = "Bearer error=\"invalid_request\", error_description=\"" + detail + "\"";
        }
        else if (failure instanceof OAuth2AuthenticationException) {
            detail = "The bearer token is invalid, expired or not meant for Liftoff";
            challenge = "Bearer error=\"invalid_token\", error_description=\"" + detail + "\"";
        }
        else {
            detail = "A bearer token is required";
            challenge = "Bearer";
        }
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return Problems.write(exchange, HttpStatus.UNAUTHORIZED, Problems.UNAUTHORIZED, "Unauthorized", detail);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
                "Bearer error=\"insufficient_scope\", error_description=\"Your roles do not allow this operation\"");
        return Problems.write(exchange, HttpStatus.FORBIDDEN, Problems.FORBIDDEN, "Forbidden",
                "Your roles do not allow this operation");
    }
}
