package io.liftoff.gateway.edge;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Security headers on every answer of the gateway, its own (401, 429, 503, docs) and the services' alike, set just
 * before the answer is committed: {@code X-Content-Type-Options}, {@code X-Frame-Options: DENY},
 * {@code Referrer-Policy}, a Content-Security-Policy (strict for the HTML docs, {@code default-src 'none'} for
 * everything else, which is JSON or YAML) and HSTS when the request came over HTTPS. Runs before Spring Security so
 * that its 401 and 403 carry them too.
 */
public class SecurityHeadersWebFilter implements WebFilter, Ordered {

    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    /** The html2 pages carry their own inline script and style, and nothing else. */
    static final String DOCS_CSP = "default-src 'none'; script-src 'self' 'unsafe-inline'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    static final String HSTS = "max-age=31536000; includeSubDomains";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        boolean docs = request.getPath().value().startsWith("/docs");
        boolean https = request.getSslInfo() != null || "https".equalsIgnoreCase(request.getURI().getScheme());
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("Content-Security-Policy", docs ? DOCS_CSP : API_CSP);
            if (https) {
                headers.set("Strict-Transport-Security", HSTS);
            }
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
