package io.liftoff.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

class BodilessRequestFilterTest {

    private final BodilessRequestFilter filter = new BodilessRequestFilter();

    private final AtomicReference<ServerHttpRequest> forwarded = new AtomicReference<>();

    /** Stands in for the rest of the chain: keeps the request as it would be forwarded. */
    private final GatewayFilterChain chain = exchange -> {
        forwarded.set(exchange.getRequest());
        return Mono.empty();
    };

    @Test
    void aPostWithNeitherLengthNorTransferEncodingGoesOnWithContentLengthZero() {
        filter.filter(MockServerWebExchange.from(MockServerHttpRequest.post("/api/notifications/n1/ack")), chain)
                .block();

        assertThat(forwarded.get().getHeaders().getFirst(HttpHeaders.CONTENT_LENGTH)).isEqualTo("0");
    }

    @Test
    void aPutAndAPatchWithoutBodyToo() {
        filter.filter(MockServerWebExchange.from(MockServerHttpRequest.put("/api/x")), chain).block();
        assertThat(forwarded.get().getHeaders().getContentLength()).isZero();

        filter.filter(MockServerWebExchange.from(MockServerHttpRequest.patch("/api/x")), chain).block();
        assertThat(forwarded.get().getHeaders().getContentLength()).isZero();
    }

    @Test
    void requestsThatSayHowTheirBodyComesAndGetsAreLeftAlone() {
        MockServerHttpRequest chunked = MockServerHttpRequest.post("/api/x")
                .header(HttpHeaders.TRANSFER_ENCODING, "chunked").build();
        filter.filter(MockServerWebExchange.from(chunked), chain).block();
        assertThat(forwarded.get()).isSameAs(chunked);

        MockServerHttpRequest sized = MockServerHttpRequest.post("/api/x").contentLength(5).build();
        filter.filter(MockServerWebExchange.from(sized), chain).block();
        assertThat(forwarded.get()).isSameAs(sized);

        MockServerHttpRequest get = MockServerHttpRequest.get("/api/x").build();
        filter.filter(MockServerWebExchange.from(get), chain).block();
        assertThat(forwarded.get()).isSameAs(get);
        assertThat(forwarded.get().getHeaders().containsHeader(HttpHeaders.CONTENT_LENGTH)).isFalse();
    }
}
