package io.liftoff.gateway.edge;

import java.time.Duration;
import java.util.List;

import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** What the gateway adds around every routed call: headers, CORS, body limit, fallbacks, problem errors. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EdgeProperties.class)
class EdgeConfiguration {

    @Bean
    SecurityHeadersWebFilter securityHeadersWebFilter() {
        return new SecurityHeadersWebFilter();
    }

    @Bean
    OrderedCorsWebFilter corsWebFilter(EdgeProperties properties) {
        return new OrderedCorsWebFilter(corsSource(properties.cors()));
    }

    @Bean
    BodySizeLimitFilter bodySizeLimitFilter(EdgeProperties properties) {
        return new BodySizeLimitFilter(properties.maxBodySize());
    }

    @Bean
    BodilessRequestFilter bodilessRequestFilter() {
        return new BodilessRequestFilter();
    }

    /**
     * Replaces the stock routing filter, switched off in application.yml (global-filter.netty-routing). That switch
     * also removes the stock filter that writes the service's answer to the client, so it is declared here as well.
     * Switching the stock filter back on ({@code ...global-filter.netty-routing.enabled=true}) routes the stock way,
     * with neither of these beans, which is how the benchmark compares the two.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "spring.cloud.gateway.server.webflux.global-filter.netty-routing.enabled",
            havingValue = "false")
    static class LoopLocalRouting {

        @Bean
        LoopLocalRoutingFilter loopLocalRoutingFilter(HttpClient httpClient,
                ObjectProvider<List<HttpHeadersFilter>> headersFilters, HttpClientProperties properties) {
            return new LoopLocalRoutingFilter(httpClient, headersFilters, properties);
        }

        @Bean
        NettyWriteResponseFilter nettyWriteResponseFilter(GatewayProperties gateway,
                ObjectProvider<List<HttpHeadersFilter>> headersFilters) {
            return new NettyWriteResponseFilter(gateway.getStreamingMediaTypes(), headersFilters);
        }
    }

    /** Route timeouts: the durations of {@code resilience4j.timelimiter} per service, timed on the event loop. */
    @Bean
    RouteTimeoutFilter routeTimeoutFilter(TimeLimiterRegistry timeLimiters) {
        return new RouteTimeoutFilter(
                service -> timeLimiters.timeLimiter(service).getTimeLimiterConfig().getTimeoutDuration());
    }

    @Bean
    ProblemErrorWebExceptionHandler problemErrorWebExceptionHandler() {
        return new ProblemErrorWebExceptionHandler();
    }

    @Bean
    RouterFunction<ServerResponse> fallbackRoutes() {
        FallbackHandler handler = new FallbackHandler();
        return RouterFunctions.route(RequestPredicates.path("/fallback/{routeId}"), handler::fallback);
    }

    static UrlBasedCorsConfigurationSource corsSource(EdgeProperties.Cors cors) {
        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(cors.allowedOrigins());
        configuration.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"));
        configuration.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE,
                HttpHeaders.ACCEPT, HttpHeaders.IF_MATCH, HttpHeaders.IF_NONE_MATCH, "traceparent", "tracestate"));
        configuration.setExposedHeaders(List.of(HttpHeaders.ETAG, HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER,
                HttpHeaders.WWW_AUTHENTICATE, "X-RateLimit-Remaining", "X-RateLimit-Replenish-Rate",
                "X-RateLimit-Burst-Capacity"));
        // Bearer tokens, no cookies: credentials mode stays off.
        configuration.setAllowCredentials(false);
        configuration.setMaxAge(Duration.ofSeconds(cors.maxAge()));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", configuration);
        source.registerCorsConfiguration("/api-docs/**", configuration);
        return source;
    }

    /** CORS before Spring Security, so that a preflight (which never carries a token) is answered, not refused. */
    static final class OrderedCorsWebFilter extends CorsWebFilter implements Ordered {

        OrderedCorsWebFilter(UrlBasedCorsConfigurationSource source) {
            super(source);
        }

        @Override
        public int getOrder() {
            return SecurityHeadersWebFilter.ORDER + 10;
        }
    }
}
