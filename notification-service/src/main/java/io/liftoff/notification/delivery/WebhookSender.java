package io.liftoff.notification.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.liftoff.notification.channel.ChannelDoc;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Generic webhooks: the event envelope with the rendered message, signed with HMAC-SHA256 over
 * {@code timestamp + "." + body} when the channel has a secret, so a receiver can check authenticity and freshness.
 * Headers: {@code X-Liftoff-Timestamp} (epoch seconds), {@code X-Liftoff-Signature: sha256=<hex>},
 * {@code X-Liftoff-Event}, {@code X-Liftoff-Event-Id} and {@code X-Liftoff-Delivery-Id} (to deduplicate retries).
 */
@Component
class WebhookSender implements ChannelSender {

    private final HttpSender http;
    private final JsonMapper json;
    private final Clock clock;

    WebhookSender(HttpSender http, JsonMapper json, Clock clock) {
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public DeliveryDoc.ChannelKind kind() {
        return DeliveryDoc.ChannelKind.WEBHOOK;
    }

    @Override
    public SendResult send(DeliveryDoc delivery, ChannelDoc channel) {
        DeliveryDoc.Message m = delivery.message;
        Map<String, Object> body = new LinkedHashMap<>(m.event());
        body.put("notificationId", delivery.notificationId);
        body.put("deliveryId", delivery.id);
        body.put("severity", m.severity());
        body.put("level", delivery.level);
        body.put("title", m.title());
        body.put("text", m.text());
        body.put("link", m.link());
        String payload = json.writeValueAsString(body);
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Liftoff-Event", delivery.eventType);
        headers.put("X-Liftoff-Event-Id", String.valueOf(m.event().get("eventId")));
        headers.put("X-Liftoff-Delivery-Id", delivery.id);
        headers.put("X-Liftoff-Timestamp", timestamp);
        if (channel.secret != null) {
            headers.put("X-Liftoff-Signature", "sha256=" + sign(channel.secret, timestamp, payload));
        }
        return http.post(channel.url, payload, headers);
    }

    static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException | InvalidKeyException ex) {
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        }
    }
}
