package io.liftoff.gateway.edge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.liftoff.gateway.support.AbstractGatewayTest;
import io.liftoff.gateway.support.Tokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

/**
 * The gateway routes with {@link LoopLocalRoutingFilter} alone (the stock routing filter is switched off) and still
 * writes the services' answers: large ones, streamed in many pieces, arrive byte for byte.
 */
class LoopLocalRoutingIntegrationTest extends AbstractGatewayTest {

    @Autowired
    ApplicationContext context;

    @Test
    void theLoopLocalFilterIsTheOnlyRoutingFilterAndTheAnswerWriterIsThere() {
        assertThat(context.getBeansOfType(NettyRoutingFilter.class).values())
                .singleElement().isInstanceOf(LoopLocalRoutingFilter.class);
        assertThat(context.getBeansOfType(NettyWriteResponseFilter.class)).hasSize(1);
    }

    @Test
    void largeAnswersArriveWholeAndEachEventLoopGetsItsOwnClient() {
        byte[] large = json(300 * 1024);
        CHECKLIST.stubFor(get("/api/releases/large").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(large)));
        for (int i = 0; i < 6; i++) {
            byte[] body = client.get().uri("/api/releases/large").header("Authorization", bearer(Tokens.fresh()))
                    .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
            assertThat(body).as("answer %d", i).isEqualTo(large);
        }
        LoopLocalRoutingFilter filter = context.getBean(LoopLocalRoutingFilter.class);
        assertThat(filter.loops()).as("event loops with a client of their own: the loop-local path was taken")
                .isBetween(1, Math.max(4, Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void anAnswerDribbledInChunksArrivesWhole() {
        byte[] chunked = json(64 * 1024);
        CHECKLIST.stubFor(get("/api/releases/dribbled").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(chunked).withChunkedDribbleDelay(25, 250)));
        byte[] body = client.get().uri("/api/releases/dribbled").header("Authorization", bearer(Tokens.fresh()))
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(body).isEqualTo(chunked);
    }

    @Test
    void anExchangeWithoutANettyConnectionHasNoEventLoop() {
        assertThat(LoopLocalRoutingFilter.eventLoopOf(
                MockServerWebExchange.from(MockServerHttpRequest.get("/api/releases/r1")))).isNull();
    }

    /** A JSON array of numbered strings, about {@code size} bytes, different at every position. */
    private static byte[] json(int size) {
        StringBuilder out = new StringBuilder(size + 32).append('[');
        for (int i = 0; out.length() < size; i++) {
            out.append(i == 0 ? "" : ",").append("\"item-").append(i).append('"');
        }
        return out.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }
}
