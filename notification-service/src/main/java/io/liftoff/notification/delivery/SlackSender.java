package io.liftoff.notification.delivery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.liftoff.notification.channel.ChannelDoc;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Slack incoming webhooks: a message with a readable {@code text} (what notifications and screen readers show) and
 * {@code blocks} (a header, the body in mrkdwn, and a context line with severity, level and the link).
 */
@Component
class SlackSender implements ChannelSender {

    private final HttpSender http;
    private final JsonMapper json;

    SlackSender(HttpSender http, JsonMapper json) {
        this.http = http;
        this.json = json;
    }

    @Override
    public DeliveryDoc.ChannelKind kind() {
        return DeliveryDoc.ChannelKind.SLACK;
    }

    @Override
    public SendResult send(DeliveryDoc delivery, ChannelDoc channel) {
        return http.post(channel.url, json.writeValueAsString(payload(delivery)), Map.of());
    }

    static Map<String, Object> payload(DeliveryDoc delivery) {
        DeliveryDoc.Message m = delivery.message;
        String context = "*" + m.severity() + "*" + (delivery.level > 0 ? " · escalation level " + delivery.level : "")
                + " · <" + m.link() + "|open>";
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("text", m.title() + "\n" + m.text());
        payload.put("blocks", List.of(
                Map.of("type", "header", "text", Map.of("type", "plain_text", "text", truncate(m.title(), 150))),
                Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", truncate(m.text(), 3000))),
                Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text", context)))));
        return payload;
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
