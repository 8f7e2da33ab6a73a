package io.liftoff.gateway.edge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;

/**
 * Every error the gateway raises itself (no route: 404, method not allowed: 405, an upstream failure outside a
 * breaker: 502/503/504, anything unexpected: 500) as a problem body, never Boot's default error JSON nor a library's
 * message.
 */
public class ProblemErrorWebExceptionHandler implements ErrorWebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorWebExceptionHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        HttpStatusCode code = ex instanceof ResponseStatusException status ? status.getStatusCode()
                : HttpStatus.INTERNAL_SERVER_ERROR;
        HttpStatus status = HttpStatus.resolve(code.value());
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        if (status.is5xxServerError()) {
            log.warn("{} {} failed: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    ex.toString());
        }
        exchange.getResponse().getHeaders().clearContentHeaders();
        return Problems.write(exchange, status, kindOf(status), status.getReasonPhrase(), detailOf(status));
    }

    private static String kindOf(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> Problems.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> "method-not-allowed";
            case CONTENT_TOO_LARGE -> Problems.PAYLOAD_TOO_LARGE;
            case SERVICE_UNAVAILABLE, BAD_GATEWAY -> Problems.SERVICE_UNAVAILABLE;
            case GATEWAY_TIMEOUT -> Problems.GATEWAY_TIMEOUT;
            default -> status.is4xxClientError() ? "bad-request" : Problems.INTERNAL;
        };
    }

    private static String detailOf(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "No such resource";
            case METHOD_NOT_ALLOWED -> "This method is not allowed here";
            case SERVICE_UNAVAILABLE, BAD_GATEWAY -> "The service behind this path cannot be reached";
            case GATEWAY_TIMEOUT -> "The service behind this path did not answer in time";
            default -> status.is4xxClientError() ? "The request cannot be handled" : "The gateway failed to handle "
                    + "the request";
        };
    }

    @Override
    public int getOrder() {
        return -2;
    }
}
