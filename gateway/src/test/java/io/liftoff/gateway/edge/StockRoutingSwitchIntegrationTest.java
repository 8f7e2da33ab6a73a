package io.liftoff.gateway.edge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftoff.gateway.support.AbstractGatewayTest;
import io.liftoff.gateway.support.Tokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

/** With the stock routing filter switched back on, it routes alone: no loop-local filter, one answer writer. */
@TestPropertySource(properties = "spring.cloud.gateway.server.webflux.global-filter.netty-routing.enabled=true")
class StockRoutingSwitchIntegrationTest extends AbstractGatewayTest {

    @Autowired
    ApplicationContext context;

    @Test
    void theStockFilterRoutesAndTheAnswersStillArrive() {
        assertThat(context.getBeansOfType(NettyRoutingFilter.class).values())
                .singleElement().matches(filter -> filter.getClass() == NettyRoutingFilter.class, "the stock filter");
        assertThat(context.getBeansOfType(NettyWriteResponseFilter.class)).hasSize(1);

        CHECKLIST.stubFor(get("/api/releases/r1").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"r1\"}")));
        client.get().uri("/api/releases/r1").header("Authorization", bearer(Tokens.fresh()))
                .exchange().expectStatus().isOk().expectBody().json("{\"id\":\"r1\"}");
    }
}
