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
 * <p>
 * With {@code batch} on, several events go to the main consumer in one request to {@code <consumer-url>/batch}
 * (notification-service's {@code POST /api/events/batch}, up to {@value #MAX_BATCH} per request); the further
 * consumers still get one request per event they take.
 */
public class HttpEventPublisher implements EventPublisher {

    static final int MAX_BATCH = 500;

    private final RestClient restClient;
    private final URI consumerUrl;
    private final URI batchUrl;
    private final List<OutboxProperties.Consumer> consumers;
    private final ServiceTokenSource tokens;

    public HttpEventPublisher(RestClient restClient, URI consumerUrl, ServiceTokenSource tokens) {
        this(restClient, consumerUrl, List.of(), false, tokens);
    }

    public HttpEventPublisher(RestClient restClient, URI consumerUrl, List<OutboxProperties.Consumer> consumers,
            boolean batch, ServiceTokenSource tokens) {
        this.restClient = restClient;
        this.consumerUrl = consumerUrl;
        String url = consumerUrl.toString();
        this.batchUrl = batch ? URI.create((url.endsWith("/") ? url : url + "/") + "batch") : null;
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

    @Override
    public Outcome publishAll(List<Map<String, Object>> envelopes) {
        if (batchUrl == null || envelopes.size() < 2) {
            return EventPublisher.super.publishAll(envelopes);
        }
        try {
            for (int from = 0; from < envelopes.size(); from += MAX_BATCH) {
                List<Map<String, Object>> chunk = envelopes.subList(from, Math.min(envelopes.size(), from + MAX_BATCH));
                send(batchUrl, Map.of("events", chunk), chunk.size() + " events from " + chunk.get(0).get("eventId"));
            }
            for (Map<String, Object> envelope : envelopes) {
                for (OutboxProperties.Consumer consumer : consumers) {
                    if (consumer.takes(envelope.get("type"))) {
                        post(consumer.url(), envelope);
                    }
                }
            }
        }
        catch (EventDeliveryException ex) {
            return new Outcome(0, ex);
        }
        return new Outcome(envelopes.size(), null);
    }

    private void post(URI consumerUrl, Map<String, Object> envelope) throws EventDeliveryException {
        send(consumerUrl, envelope, "Event " + envelope.get("eventId"));
    }

    private void send(URI url, Object body, String what) throws EventDeliveryException {
        try {
            restClient.post().uri(url).contentType(MediaType.APPLICATION_JSON)
                    .headers(headers -> tokens.token().ifPresent(headers::setBearerAuth))
                    .body(body)
                    .retrieve()
                    .toBodilessEntity();
        }
        catch (RestClientException ex) {
            throw new EventDeliveryException(what + " not delivered to " + url, ex);
        }
    }
}
