package io.liftoff.gateway.edge;

import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;

/**
 * The circuit breakers' fallback, one path per route ({@code forward:/fallback/<route id>}) and any method: the
 * request that failed arrives here with its own method (GET, POST, PATCH, ...) and gets a problem that says which
 * service failed and how, never a made-up success. 504 when the service did not answer in time, 503 when its breaker
 * is open, its bulkhead is full (too many calls in flight) or it cannot be reached. Reached directly, without a
 * failed call behind it, the path does not exist (404).
 */
public class FallbackHandler {

    private static final Logger log = LoggerFactory.getLogger(FallbackHandler.class);

    public Mono<ServerResponse> fallback(ServerRequest request) {
        ServerWebExchange exchange = request.exchange();
        Throwable failure = exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        if (failure == null) {
            return Problems.write(exchange, HttpStatus.NOT_FOUND, Problems.NOT_FOUND, "Not found",
                    "No such resource").then(Mono.empty());
        }
        String service = serviceOf(request.pathVariable("routeId"));
        String instance = originalPath(exchange);
        if (!(failure instanceof CallNotPermittedException) && !(failure instanceof BulkheadFullException)) {
            log.warn("{} {} to {} failed: {}", request.method(), instance, service, failure.toString());
        }
        Mono<Void> problem;
        if (failure instanceof TimeoutException) {
            problem = Problems.write(exchange, instance, HttpStatus.GATEWAY_TIMEOUT, Problems.GATEWAY_TIMEOUT,
                    "Gateway timeout", service + " did not answer in time; the request may or may not have been "
                            + "carried out", Map.of());
        }
        else if (failure instanceof CallNotPermittedException) {
            problem = Problems.write(exchange, instance, HttpStatus.SERVICE_UNAVAILABLE,
                    Problems.SERVICE_UNAVAILABLE, "Service unavailable",
                    service + " is failing; calls to it are paused for a few seconds", Map.of());
        }
        else if (failure instanceof BulkheadFullException) {
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
            problem = Problems.write(exchange, instance, HttpStatus.SERVICE_UNAVAILABLE,
                    Problems.SERVICE_UNAVAILABLE, "Service unavailable",
                    service + " has too many calls in progress; retry in a moment", Map.of());
        }
        else {
            problem = Problems.write(exchange, instance, HttpStatus.SERVICE_UNAVAILABLE,
                    Problems.SERVICE_UNAVAILABLE, "Service unavailable", service + " cannot be reached", Map.of());
        }
        return problem.then(Mono.empty());
    }

    /** The path the client asked for: the breaker forwarded a decorated exchange; the innermost is the original. */
    private static String originalPath(ServerWebExchange exchange) {
        ServerWebExchange original = exchange;
        while (original instanceof ServerWebExchangeDecorator decorator) {
            original = decorator.getDelegate();
        }
        return original.getRequest().getPath().value();
    }

    /** Route ids are {@code <service>} or {@code <service>-<part>}: {@code signoff-release} → signoff-service. */
    static String serviceOf(String routeId) {
        return RouteTimeoutFilter.breakerOf(routeId) + "-service";
    }
}
