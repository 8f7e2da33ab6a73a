package io.liftoff.gateway.edge;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.netty.channel.EventLoop;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * Each route's timeout, kept by a timer on the event loop of the client's connection instead of by Resilience4j's
 * time limiter (switched off in application.yml).
 * <p>
 * The durations are still those of {@code resilience4j.timelimiter} for the route's service (a route id is
 * {@code <service>} or {@code <service>-<part>}, and each service's breaker has the service's name), and the timer
 * runs inside the circuit breaker, as the time limiter did: a call that times out fails with a
 * {@link java.util.concurrent.TimeoutException}, counts as a failure of the service's breaker, and the route's
 * fallback answers 504. The timeout covers the same span too: until the service's answer has begun (status and
 * headers); the body is then streamed after the breaker's call is over.
 * <p>
 * Why: the time limiter started each call's timer on Reactor's parallel scheduler, whose queue was empty between
 * calls at one connection, so every request woke a parallel thread to re-arm it (4 % of the event loop's CPU samples
 * in a profile, 2026-12-04, and the ALT_ARGS run of gateway/README.md). A timer scheduled on the connection's own
 * event loop from that loop is a queue insert and its cancellation a queue removal, with no thread woken. Exchanges
 * without a Reactor Netty connection (tests on mock exchanges) get the same timeout on Reactor's parallel scheduler.
 */
public class RouteTimeoutFilter implements GlobalFilter, Ordered {

    /** After the route's own filters (the breaker among them) and the URL resolution, before the routing filters. */
    public static final int ORDER = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;

    private final Function<String, Duration> timeoutOfService;
    private final Map<String, Duration> byRoute = new ConcurrentHashMap<>();

    /** @param timeoutOfService the timeout of a service's calls, by the service's breaker name */
    public RouteTimeoutFilter(Function<String, Duration> timeoutOfService) {
        this.timeoutOfService = timeoutOfService;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route == null) {
            return chain.filter(exchange);
        }
        Duration timeout = byRoute.computeIfAbsent(route.getId(), id -> timeoutOfService.apply(breakerOf(id)));
        EventLoop loop = LoopLocalRoutingFilter.eventLoopOf(exchange);
        Mono<Void> call = chain.filter(exchange);
        return loop == null ? call.timeout(timeout) : call.timeout(after(loop, timeout));
    }

    /** The breaker (and service) a route belongs to: {@code signoff-release} → {@code signoff}. */
    static String breakerOf(String routeId) {
        int dash = routeId.indexOf('-');
        return dash > 0 ? routeId.substring(0, dash) : routeId;
    }

    /**
     * A signal {@code delay} from subscription, timed by {@code timer}; cancelling the subscription cancels the timer
     * (on a Netty event loop, from that loop, this removes it from the loop's queue at once).
     */
    static Mono<Long> after(ScheduledExecutorService timer, Duration delay) {
        return Mono.create(sink -> {
            ScheduledFuture<?> pending = timer.schedule(() -> sink.success(0L), delay.toNanos(),
                    TimeUnit.NANOSECONDS);
            sink.onCancel(() -> pending.cancel(false));
        });
    }
}
