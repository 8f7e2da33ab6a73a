package io.liftoff.gateway.edge;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.EventLoop;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * Spring Cloud Gateway's routing filter with one upstream connection pool per event loop: a request is sent to the
 * service on a connection that lives on the event loop of the client's own connection, as Envoy keeps a pool per
 * worker thread.
 * <p>
 * Why: the stock filter takes any idle connection of one shared pool, which usually belongs to another of Reactor
 * Netty's event loops (four on a two-core machine). Every request then crossed threads twice, and every piece of a
 * streamed answer was handed from the upstream connection's loop to the client connection's loop as a task, waking
 * a sleeping thread each time and written with a flush of its own. Reading a 104 KB release through the gateway at
 * one connection took 11.0 ms at p50 that way against 5.4 ms with a single event loop for everything, where the
 * answer was read in three pieces of up to 64 KB and written with four system calls (measured on two cores with wrk
 * against the benchmark's set-up, {@code -Dreactor.netty.ioWorkerCount=1} for the single loop, and strace). With a pool per loop the same thread reads the upstream answer and
 * writes it to the client, and the gateway keeps all its event loops. Measured against the stock filter within one
 * run ({@code ALT_ARGS=...netty-routing.enabled=true gateway/bench/run.sh}, three rounds), the stock filter took
 * 0.51 ms more at p50 and 1.86 ms more at p99 at one connection, and throughput at 50 connections was the same within
 * the rounds' spread (0.81 to 1.07 of this filter's).
 * <p>
 * Each loop's client is the gateway's configured {@link HttpClient} (timeouts, pool settings, headers) bound to that
 * loop with {@link HttpClient#runOn}; Reactor Netty keys its pools by the client's settings, the loop included, so
 * each loop gets its own pool inside the same connection provider. Routes with their own client settings (a
 * {@code connect-timeout} in their metadata) and exchanges without a Reactor Netty connection (tests on mock
 * exchanges) use the stock behaviour.
 */
public class LoopLocalRoutingFilter extends NettyRoutingFilter {

    private final Map<EventLoop, HttpClient> clients = new ConcurrentHashMap<>();

    public LoopLocalRoutingFilter(HttpClient httpClient, ObjectProvider<List<HttpHeadersFilter>> headersFilters,
            HttpClientProperties properties) {
        super(httpClient, headersFilters, properties);
    }

    /**
     * The stock client bound to the client connection's event loop. The stock method derives the client anew on every
     * call (it sets the connect timeout each time), so the bound clients are kept, one per loop. The loop alone can key
     * them: the only route setting the stock method reads is a route's own {@code connect-timeout}, and such a route
     * gets the stock client.
     */
    @Override
    protected HttpClient getHttpClient(Route route, ServerWebExchange exchange) {
        EventLoop loop = eventLoopOf(exchange);
        if (loop == null || route.getMetadata().containsKey(RouteMetadataUtils.CONNECT_TIMEOUT_ATTR)) {
            return super.getHttpClient(route, exchange);
        }
        return clients.computeIfAbsent(loop, l -> super.getHttpClient(route, exchange).runOn(l));
    }

    /** The event loop of the client's connection, or null when the exchange has no Reactor Netty connection. */
    static EventLoop eventLoopOf(ServerWebExchange exchange) {
        Object nativeRequest;
        try {
            nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        }
        catch (IllegalStateException mockRequest) {
            return null; // a MockServerHttpRequest has no native request and says so this way
        }
        return nativeRequest instanceof Connection connection ? connection.channel().eventLoop() : null;
    }

    /** The loops that have a client of their own so far (for tests). */
    int loops() {
        return clients.size();
    }
}
