package io.liftoff.common.outbox;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.liftoff.common.security.ServiceTokenSource;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * POSTs events to the consumers' {@code /api/events} with the service's client-credentials token: every event to the
 * main consumer (notification-service), and to each further consumer the types it takes. A 2xx answer (including a
 * consumer's "already seen" answer for a repeated {@code eventId}) counts as delivered; a failure at any consumer
 * fails the delivery, which is retried for all of them (consumers deduplicate on {@code eventId}).
 */
public class HttpEventPublisher implements EventPublisher {

    private final RestClient restClient;
    private final URI consumerUrl;
    private final List<OutboxProperties.Consumer> consumers;
    private final ServiceTokenSource tokens;

    public HttpEventPublisher(RestClient restClient, URI consumerUrl, ServiceTokenSource tokens) {
        this(restClient, consumerUrl, List.of(), tokens);
    }

    public HttpEventPublisher(RestClient restClient, URI consumerUrl, List<OutboxProperties.Consumer> consumers,
            ServiceTokenSource tokens) {
        this.restClient = restClient;
        this.consumerUrl = consumerUrl;
        this.consumers = List.copyOf(consumers);
        this.tokens = tokens;
    }

    @Override
    public void publish(Map<String, Object> envelope) throws EventDeliveryException {
        post(consumerUrl, envelope);
        for (OutboxProperties.Consumer consumer : consumers) {
            if (consumer.takes(envelope.get("type"))) {
                post(consumer.url(), envelope);
            }
        }
    }

    private void post(URI consumerUrl, Map<String, Object> envelope) throws EventDeliveryException {
        try {
            restClient.post().uri(consumerUrl).contentType(MediaType.APPLICATION_JSON)
                    .headers(headers -> tokens.token().ifPresent(headers::setBearerAuth))
                    .body(envelope)
                    .retrieve()
                    .toBodilessEntity();
        }
        catch (RestClientException ex) {
            throw new EventDeliveryException("Event " + envelope.get("eventId") + " not delivered to " + consumerUrl,
                    ex);
        }
    }
}
