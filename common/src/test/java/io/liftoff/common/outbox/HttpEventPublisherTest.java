package io.liftoff.common.outbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/** The relay's HTTP publisher against WireMock consumers: one event per request, or batches to the main consumer. */
class HttpEventPublisherTest {

    private final WireMockServer consumers = new WireMockServer(wireMockConfig().dynamicPort());

    @BeforeEach
    void start() {
        consumers.start();
        consumers.stubFor(post("/api/events").willReturn(aResponse().withStatus(202)));
        consumers.stubFor(post("/api/events/batch").willReturn(aResponse().withStatus(200)));
        consumers.stubFor(post("/monitoring/api/events").willReturn(aResponse().withStatus(202)));
    }

    @AfterEach
    void stop() {
        consumers.stop();
    }

    @Test
    void aBatchGoesToTheMainConsumerInOneRequestAndEachFurtherConsumerGetsTheTypesItTakes() {
        EventPublisher.Outcome outcome = publisher(true).publishAll(List.of(event("e1", "item.updated"),
                event("e2", "release.transitioned"), event("e3", "item.updated")));

        assertThat(outcome.failure()).isNull();
        assertThat(outcome.delivered()).isEqualTo(3);
        assertThat(outcome.failure()).isNull();
        consumers.verify(1, postRequestedFor(urlEqualTo("/api/events/batch"))
                .withHeader("Authorization", equalTo("Bearer service-token"))
                .withRequestBody(equalToJson("{\"events\":[{\"eventId\":\"e1\",\"type\":\"item.updated\"},"
                        + "{\"eventId\":\"e2\",\"type\":\"release.transitioned\"},"
                        + "{\"eventId\":\"e3\",\"type\":\"item.updated\"}]}")));
        consumers.verify(0, postRequestedFor(urlEqualTo("/api/events")));
        consumers.verify(1, postRequestedFor(urlEqualTo("/monitoring/api/events"))
                .withRequestBody(equalToJson("{\"eventId\":\"e2\",\"type\":\"release.transitioned\"}")));
    }

    @Test
    void aRefusedBatchDeliversNoneOfItsEventsAndReachesNoFurtherConsumer() {
        consumers.stubFor(post("/api/events/batch").willReturn(aResponse().withStatus(503)));

        EventPublisher.Outcome outcome = publisher(true).publishAll(List.of(event("e1", "release.transitioned"),
                event("e2", "item.updated")));

        assertThat(outcome.delivered()).isZero();
        assertThat(outcome.failure()).hasMessageContaining("2 events from e1 not delivered");
        consumers.verify(0, postRequestedFor(urlEqualTo("/monitoring/api/events")));
    }

    @Test
    void withoutBatchingEachEventIsOneRequestAndAFailureStopsAtThatEvent() {
        consumers.stubFor(post("/api/events").withRequestBody(equalToJson("{\"eventId\":\"e2\",\"type\":\"item.updated\"}"))
                .willReturn(aResponse().withStatus(500)));

        EventPublisher.Outcome outcome = publisher(false).publishAll(List.of(event("e1", "item.updated"),
                event("e2", "item.updated"), event("e3", "item.updated")));

        assertThat(outcome.delivered()).isEqualTo(1);
        assertThat(outcome.failure()).hasMessageContaining("Event e2 not delivered");
        consumers.verify(2, postRequestedFor(urlEqualTo("/api/events")));
        consumers.verify(0, postRequestedFor(urlEqualTo("/api/events/batch")));
    }

    @Test
    void aSingleEventIsPostedAloneEvenWithBatching() {
        EventPublisher.Outcome outcome = publisher(true).publishAll(List.of(event("e1", "item.updated")));

        assertThat(outcome.delivered()).isEqualTo(1);
        consumers.verify(1, postRequestedFor(urlEqualTo("/api/events")));
        consumers.verify(0, postRequestedFor(urlEqualTo("/api/events/batch")));
    }

    private HttpEventPublisher publisher(boolean batch) {
        // the client the relay is configured with (OutboxAutoConfiguration)
        RestClient client = RestClient.builder().requestFactory(new SimpleClientHttpRequestFactory()).build();
        return new HttpEventPublisher(client, URI.create(consumers.baseUrl() + "/api/events"),
                List.of(new OutboxProperties.Consumer(URI.create(consumers.baseUrl() + "/monitoring/api/events"),
                        List.of("release.transitioned"))),
                batch, () -> Optional.of("service-token"));
    }

    private static Map<String, Object> event(String eventId, String type) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId);
        event.put("type", type);
        return event;
    }
}
