package io.liftoff.notification.delivery;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import io.liftoff.notification.channel.AddressPolicy;
import io.liftoff.notification.config.NotificationProperties;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * POSTs JSON for the Slack and webhook senders: HTTP/1.1, explicit connect and answer timeouts, redirects never
 * followed, no automatic retries (the dispatcher retries, with backoff, and records each attempt), and the address
 * re-checked against {@link AddressPolicy} just before each send (DNS answers change).
 * <p>
 * Apache HttpClient's classic client does the whole exchange on the calling delivery worker, over pooled keep-alive
 * connections. The JDK client used before handed each request from the worker to its selector thread and on to its
 * executor and back: in a profile of the notification benchmark (async-profiler, slow receiver) its threads and the
 * workers' waits for them were 22% of the service's CPU, most of it in the kernel, waking threads.
 */
@Component
public class HttpSender implements DisposableBean {

    private final CloseableHttpClient client;
    private final AddressPolicy addresses;

    public HttpSender(NotificationProperties properties, AddressPolicy addresses) {
        NotificationProperties.Delivery delivery = properties.delivery();
        // Every worker may be sending to the same receiver; each lane is capped by per-destination anyway. Beyond the
        // total, idle connections to other receivers are closed to make room.
        int connections = Math.max(delivery.workers(), delivery.perDestination());
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(delivery.connectTimeout()))
                                // the answer timeout: no byte from the receiver for this long ends the send
                                .setSocketTimeout(Timeout.of(delivery.readTimeout()))
                                // a pooled connection idle this long is checked before it is reused
                                .setValidateAfterInactivity(TimeValue.ofSeconds(2)).build())
                        .setMaxConnPerRoute(connections).setMaxConnTotal(Math.max(connections, 32)).build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                .disableAuthCaching().disableContentCompression()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
        this.addresses = addresses;
    }

    public SendResult post(String url, String body, Map<String, String> headers) {
        String refusal = addresses.refusal(url);
        if (refusal != null) {
            return SendResult.refused(null, "address refused: " + refusal);
        }
        HttpPost request = new HttpPost(URI.create(url));
        request.setHeader("Content-Type", "application/json");
        request.setHeader("User-Agent", "Liftoff-Notifications/1");
        headers.forEach(request::setHeader);
        request.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), null));
        try {
            // execute with a handler reads the rest of the answer, so the connection goes back to the pool
            return SendResult.ofHttpStatus(client.execute(request, HttpResponse::getCode));
        }
        catch (InterruptedIOException ex) {
            // SocketTimeoutException and ConnectTimeoutException, or a worker interrupted while it waited for a
            // pooled connection (the service is stopping)
            if (Thread.currentThread().isInterrupted()) {
                return SendResult.failed(null, "interrupted (the service is stopping)");
            }
            return SendResult.failed(null, "timed out");
        }
        catch (IOException ex) {
            return SendResult.failed(null, ex.getClass().getSimpleName()
                    + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
        }
    }

    /** Closes the pooled connections, which also ends any send still blocked on one. */
    @Override
    public void destroy() {
        client.close(CloseMode.IMMEDIATE);
    }
}
