package io.liftoff.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.DefaultEventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

class RouteTimeoutFilterTest {

    private final List<String> asked = new ArrayList<>();
    private final RouteTimeoutFilter filter = new RouteTimeoutFilter(service -> {
        asked.add(service);
        return Map.of("checklist", Duration.ofMillis(600)).getOrDefault(service, Duration.ofMillis(150));
    });
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        timer.shutdownNow();
        loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Test
    void aCallSlowerThanItsServicesTimeoutFailsWithATimeoutException() {
        MockServerWebExchange exchange = routed("signoff-release");
        long start = System.nanoTime();

        assertThatThrownBy(() -> filter.filter(exchange, chainAnswering(Mono.never())).block())
                .hasCauseInstanceOf(TimeoutException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(140),
                Duration.ofMillis(590));
        assertThat(asked).containsExactly("signoff");
    }

    @Test
    void eachRouteGetsTheTimeoutOfItsServiceLookedUpOnce() {
        AtomicBoolean answered = new AtomicBoolean();
        Mono<Void> slowButInTime = Mono.delay(Duration.ofMillis(300)).doOnNext(x -> answered.set(true)).then();

        filter.filter(routed("checklist"), chainAnswering(slowButInTime)).block();
        filter.filter(routed("checklist"), chainAnswering(Mono.empty())).block();

        assertThat(answered).isTrue();
        assertThat(asked).containsExactly("checklist");
    }

    @Test
    void anExchangeWithoutARouteIsPassedOnUntimed() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/fallback/x"));

        filter.filter(exchange, chainAnswering(Mono.delay(Duration.ofMillis(250)).then())).block();

        assertThat(asked).isEmpty();
    }

    @Test
    void theTimerFiresAfterItsDelayOnTheGivenExecutor() throws Exception {
        Thread fired = Mono.fromCallable(Thread::currentThread).delaySubscription(
                RouteTimeoutFilter.after(loop, Duration.ofMillis(50))).block(Duration.ofSeconds(2));

        assertThat(loop.inEventLoop(fired)).isTrue();
    }

    @Test
    void aCallThatAnswersInTimeCancelsItsTimer() {
        timer.setRemoveOnCancelPolicy(true);

        Mono.empty().timeout(RouteTimeoutFilter.after(timer, Duration.ofSeconds(30))).block();

        assertThat(timer.getQueue()).isEmpty();
        assertThat(timer.getCompletedTaskCount()).isZero();
    }

    @Test
    void theBreakerOfARouteIsTheServicePartOfItsId() {
        assertThat(RouteTimeoutFilter.breakerOf("signoff-release")).isEqualTo("signoff");
        assertThat(RouteTimeoutFilter.breakerOf("notification")).isEqualTo("notification");
    }

    private static MockServerWebExchange routed(String routeId) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/x"));
        Route route = Route.async().id(routeId).uri(URI.create("http://127.0.0.1:9")).predicate(e -> true).build();
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, route);
        return exchange;
    }

    private static GatewayFilterChain chainAnswering(Mono<Void> answer) {
        return exchange -> answer;
    }
}
