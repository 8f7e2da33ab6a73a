package io.liftoff.gateway.edge;

import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;

/**
 * Refuses request bodies above {@code liftoff.gateway.max-body-size} with a 413 problem: at once when the
 * Content-Length says so, and while reading when the body comes without one (chunked). Runs before the body is
 * buffered for the circuit breakers' fallbacks, so an oversized body is never held in memory.
 */
public class BodySizeLimitFilter implements GlobalFilter, Ordered {

    /** After the rate limit, before {@code AdaptCachedBodyGlobalFilter} (HIGHEST_PRECEDENCE + 1000). */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 200;

    private final long maxBytes;

    public BodySizeLimitFilter(DataSize maxBodySize) {
        this.maxBytes = maxBodySize.toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        long declared = request.getHeaders().getContentLength();
        if (declared > maxBytes) {
            return tooLarge(exchange);
        }
        if (declared >= 0 || !request.getHeaders().containsHeader("Transfer-Encoding")) {
            return chain.filter(exchange);
        }
        ServerHttpRequest counted = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong seen = new AtomicLong();
                return super.getBody().handle((buffer, sink) -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > maxBytes) {
                        DataBufferUtils.release(buffer);
                        sink.error(new PayloadTooLargeException());
                    }
                    else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build())
                .onErrorResume(PayloadTooLargeException.class, ex -> tooLarge(exchange));
    }

    private Mono<Void> tooLarge(ServerWebExchange exchange) {
        return Problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, Problems.PAYLOAD_TOO_LARGE, "Payload too large",
                "The request body is larger than " + maxBytes + " bytes");
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    static final class PayloadTooLargeException extends RuntimeException {

        PayloadTooLargeException() {
            super("request body over the limit", null, false, false);
        }
    }
}
