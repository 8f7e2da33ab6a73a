package io.liftoff.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;

class SecurityHeadersWebFilterTest {

    private final SecurityHeadersWebFilter filter = new SecurityHeadersWebFilter();
    private final WebFilterChain answer = exchange -> exchange.getResponse().setComplete();

    @Test
    void apiAnswersGetTheHeadersAndANothingAllowedPolicy() {
        HttpHeaders headers = answered(MockServerHttpRequest.get("http://gateway/api/releases/r1"));

        assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(headers.getFirst("X-Frame-Options")).isEqualTo("DENY");
        assertThat(headers.getFirst("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(headers.getFirst("Content-Security-Policy")).isEqualTo(SecurityHeadersWebFilter.API_CSP);
        assertThat(headers.containsHeader("Strict-Transport-Security")).isFalse();
    }

    @Test
    void docsPagesGetTheDocsPolicy() {
        HttpHeaders headers = answered(MockServerHttpRequest.get("http://gateway/docs/checklist-service/index.html"));

        assertThat(headers.getFirst("Content-Security-Policy")).isEqualTo(SecurityHeadersWebFilter.DOCS_CSP)
                .startsWith("default-src 'none';").doesNotContain("unsafe-eval").doesNotContain("http");
    }

    @Test
    void httpsAnswersGetHsts() {
        HttpHeaders headers = answered(MockServerHttpRequest.get("https://gateway/api/releases/r1"));

        assertThat(headers.getFirst("Strict-Transport-Security")).isEqualTo("max-age=31536000; includeSubDomains");
    }

    @Test
    void aServicesOwnFramingPolicyIsReplacedByTheGatewaysStricterOne() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("http://gateway/api/x"));
        WebFilterChain service = ex -> {
            ex.getResponse().getHeaders().set("X-Frame-Options", "SAMEORIGIN");
            return ex.getResponse().setComplete();
        };

        filter.filter(exchange, service).block();

        assertThat(exchange.getResponse().getHeaders().get("X-Frame-Options")).containsExactly("DENY");
    }

    private HttpHeaders answered(MockServerHttpRequest.BaseBuilder<?> request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        filter.filter(exchange, answer).block();
        return exchange.getResponse().getHeaders();
    }
}
