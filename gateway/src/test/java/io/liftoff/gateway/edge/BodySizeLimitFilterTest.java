package io.liftoff.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;

class BodySizeLimitFilterTest {

    private final BodySizeLimitFilter filter = new BodySizeLimitFilter(DataSize.ofBytes(100));
    private final AtomicInteger bytesRead = new AtomicInteger(-1);

    /** Stands in for the rest of the chain: reads the whole body, as the body cache and the proxy do. */
    private final GatewayFilterChain readingChain = exchange -> DataBufferUtils.join(exchange.getRequest().getBody())
            .doOnNext(buffer -> {
                bytesRead.set(buffer.readableByteCount());
                DataBufferUtils.release(buffer);
            }).then();

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedWithoutReadingTheBody() {
        MockServerWebExchange exchange = MockServerWebExchange
                .from(MockServerHttpRequest.post("/api/releases").contentLength(101).body("x".repeat(101)));

        filter.filter(exchange, readingChain).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(exchange.getResponse().getBodyAsString().block())
                .contains("\"type\":\"https://liftoff.dev/problems/payload-too-large\"");
        assertThat(bytesRead).hasValue(-1);
    }

    @Test
    void aBodyWithinTheLimitGoesOn() {
        MockServerWebExchange exchange = MockServerWebExchange
                .from(MockServerHttpRequest.post("/api/releases").contentLength(100).body("x".repeat(100)));

        filter.filter(exchange, readingChain).block();

        assertThat(exchange.getResponse().getStatusCode()).isNull();
        assertThat(bytesRead).hasValue(100);
    }

    @Test
    void aChunkedBodyIsCountedAsItArrivesAndRefusedOverTheLimit() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/releases")
                .header("Transfer-Encoding", "chunked").body(chunks(60, 60)));

        filter.filter(exchange, readingChain).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(bytesRead).hasValue(-1);
    }

    @Test
    void aChunkedBodyWithinTheLimitGoesOn() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/releases")
                .header("Transfer-Encoding", "chunked").body(chunks(50, 50)));

        filter.filter(exchange, readingChain).block();

        assertThat(exchange.getResponse().getStatusCode()).isNull();
        assertThat(bytesRead).hasValue(100);
    }

    private static Flux<DataBuffer> chunks(int... sizes) {
        return Flux.fromArray(java.util.Arrays.stream(sizes).boxed().toArray(Integer[]::new))
                .map(size -> DefaultDataBufferFactory.sharedInstance
                        .wrap("y".repeat(size).getBytes(StandardCharsets.UTF_8)));
    }
}
