package io.liftoff.notification.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.liftoff.notification.channel.AddressPolicy;
import io.liftoff.notification.config.NotificationProperties;

import org.springframework.stereotype.Component;

/**
 * POSTs JSON for the Slack and webhook senders: HTTP/1.1, explicit connect and answer timeouts, redirects never
 * followed, and the address re-checked against {@link AddressPolicy} just before each send (DNS answers change).
 */
@Component
public class HttpSender {

    private final HttpClient client;
    private final Duration readTimeout;
    private final AddressPolicy addresses;

    public HttpSender(NotificationProperties properties, AddressPolicy addresses) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.delivery().connectTimeout()).build();
        this.readTimeout = properties.delivery().readTimeout();
        this.addresses = addresses;
    }

    public SendResult post(String url, String body, java.util.Map<String, String> headers) {
        String refusal = addresses.refusal(url);
        if (refusal != null) {
            return SendResult.refused(null, "address refused: " + refusal);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(readTimeout)
                .header("Content-Type", "application/json").header("User-Agent", "Liftoff-Notifications/1")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return SendResult.ofHttpStatus(response.statusCode());
        }
        catch (HttpTimeoutException ex) {
            return SendResult.failed(null, "timed out");
        }
        catch (IOException ex) {
            return SendResult.failed(null, ex.getClass().getSimpleName()
                    + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return SendResult.failed(null, "interrupted (the service is stopping)");
        }
    }
}
