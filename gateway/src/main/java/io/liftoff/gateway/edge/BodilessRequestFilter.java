package io.liftoff.gateway.edge;

import java.util.Set;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * Forwards an HTTP/1.1 request that has no body as one: with {@code Content-Length: 0}. A request with neither
 * Content-Length nor Transfer-Encoding has no body (RFC 9112 6.3), as {@code curl -X POST} sends it; the gateway's
 * HTTP client forwarded such a POST, PUT or PATCH chunked, with an empty body, and Spring MVC takes a chunked request
 * for one with a body: without a Content-Type, an endpoint whose body is optional refused it with 415
 * ({@code POST /api/notifications/{id}/ack} answered 415 through the gateway and 200 directly). HTTP/2 requests are
 * left alone: there a body may come without Content-Length.
 */
public class BodilessRequestFilter implements GlobalFilter, Ordered {

    /** Before the body size limit and the body caching for the fallbacks. */
    public static final int ORDER = BodySizeLimitFilter.ORDER - 1;

    /** The methods the gateway's client sends chunked when they have no Content-Length. */
    private static final Set<HttpMethod> CHUNKED_WITHOUT_LENGTH = Set.of(HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH);

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders headers = request.getHeaders();
        if (!CHUNKED_WITHOUT_LENGTH.contains(request.getMethod()) || headers.containsHeader(HttpHeaders.CONTENT_LENGTH)
                || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING) || !isHttp1(request)) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().request(r -> r.header(HttpHeaders.CONTENT_LENGTH, "0")).build());
    }

    /** True for HTTP/1.x, and for a request with no connection behind it (a test's mock request). */
    static boolean isHttp1(ServerHttpRequest request) {
        Object nativeRequest;
        try {
            nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
        }
        catch (IllegalStateException mockRequest) {
            return true;
        }
        return !(nativeRequest instanceof HttpServerRequest served) || served.version().majorVersion() == 1;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
