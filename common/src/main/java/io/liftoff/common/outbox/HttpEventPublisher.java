package io.liftoff.common.outbox;

import java.net.URI;
import java.util.Map;

import io.liftoff.common.security.ServiceTokenSource;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * POSTs events to the consumer's {@code /api/events} with the service's client-credentials token. A 2xx answer
 * (including the consumer's "already seen" answer for a repeated {@code eventId}) counts as delivered.
 */
public class HttpEventPublisher implements EventPublisher {

    private final RestClient restClient;
    private final URI consumerUrl;
    private final ServiceTokenSource tokens;

    public HttpEventPublisher(RestClient restClient, URI consumerUrl, ServiceTokenSource tokens) {
        this.restClient = restClient;
        this.consumerUrl = consumerUrl;
        this.tokens = tokens;
    }

    @Override
    public void publish(Map<String, Object> envelope) throws EventDeliveryException {
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
