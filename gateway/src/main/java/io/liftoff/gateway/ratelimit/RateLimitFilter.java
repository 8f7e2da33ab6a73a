package io.liftoff.gateway.ratelimit;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Map;

import io.liftoff.gateway.edge.Problems;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;

/**
 * Limits every routed call per user (token {@code sub}) and per client (token {@code azp}), with the two limiters of
 * {@link RateLimitConfiguration}. A refused call answers 429 with {@code Retry-After} and a problem body, before its
 * body is read and before any service is called. Calls without a token (only possible when validation is switched
 * off for a benchmark) are limited per remote address.
 */
public class RateLimitFilter implements GlobalFilter, Ordered {

    /** Before the body is read (body limit, body caching for fallbacks) and before the circuit breakers. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    private static final String LIMITS = "liftoff";
    private static final Object ANONYMOUS = new Object();

    private final RateLimiter<?> userLimiter;
    private final RateLimiter<?> clientLimiter;
    private final RateLimitProperties properties;

    public RateLimitFilter(RateLimiter<?> userLimiter, RateLimiter<?> clientLimiter, RateLimitProperties properties) {
        this.userLimiter = userLimiter;
        this.clientLimiter = clientLimiter;
        this.properties = properties;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return exchange.getPrincipal().cast(Object.class).defaultIfEmpty(ANONYMOUS)
                .flatMap(principal -> limit(exchange, chain, principal));
    }

    private Mono<Void> limit(ServerWebExchange exchange, GatewayFilterChain chain, Object principal) {
        String userKey;
        String clientKey = null;
        if (principal instanceof JwtAuthenticationToken token) {
            userKey = "user:" + token.getName();
            String azp = token.getToken().getClaimAsString("azp");
            clientKey = azp != null ? "client:" + azp : null;
        }
        else if (principal instanceof Principal named) {
            userKey = "user:" + named.getName();
        }
        else {
            InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
            userKey = "address:" + (remote != null ? remote.getAddress().getHostAddress() : "unknown");
        }
        String client = clientKey;
        return userLimiter.isAllowed(LIMITS, userKey).flatMap(user -> {
            if (!user.isAllowed()) {
                return refuse(exchange, user, "your user", properties.user());
            }
            if (client == null) {
                return pass(exchange, chain, user);
            }
            return clientLimiter.isAllowed(LIMITS, client).flatMap(byClient -> byClient.isAllowed()
                    ? pass(exchange, chain, user)
                    : refuse(exchange, byClient, "your client application", properties.client()));
        });
    }

    private static Mono<Void> pass(ServerWebExchange exchange, GatewayFilterChain chain, RateLimiter.Response user) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        user.getHeaders().forEach(headers::set);
        return chain.filter(exchange);
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, RateLimiter.Response response, String whose,
            RateLimitProperties.Limit limit) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        response.getHeaders().forEach(headers::set);
        String retryAfter = response.getHeaders().get(TokenBucketRateLimiter.RETRY_AFTER_HEADER);
        if (retryAfter == null) {
            // RedisRateLimiter does not say; a token is back within 1/replenishRate seconds.
            retryAfter = Long.toString(Math.max(1L, (long) Math.ceil(1.0 / limit.replenishRate())));
            headers.set(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        return Problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS, Problems.RATE_LIMITED, "Too many requests",
                "The rate limit of " + whose + " (" + limit.replenishRate() + " requests per second, bursts of "
                        + limit.burstCapacity() + ") is used up; retry after " + retryAfter + " s",
                Map.of("retryAfterSeconds", Long.parseLong(retryAfter)));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
