package io.liftoff.gateway.edge;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * RFC 9457 problem responses written by the gateway itself (401, 403, 413, 429, 503, 504, 404). The {@code type}
 * URIs are the platform's shared ones (common's {@code ProblemTypes}) plus the gateway's own kinds below.
 */
public final class Problems {

    public static final String BASE = "https://liftoff.dev/problems/";

    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String NOT_FOUND = "not-found";
    public static final String PAYLOAD_TOO_LARGE = "payload-too-large";
    public static final String RATE_LIMITED = "rate-limited";
    public static final String SERVICE_UNAVAILABLE = "service-unavailable";
    public static final String GATEWAY_TIMEOUT = "gateway-timeout";
    public static final String INTERNAL = "internal-error";

    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    private Problems() {
    }

    public static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String kind, String title,
            String detail) {
        return write(exchange, status, kind, title, detail, Map.of());
    }

    /**
     * Writes the problem unless the response is already committed. Extension values are strings or numbers.
     */
    public static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String kind, String title,
            String detail, Map<String, Object> extensions) {
        return write(exchange, exchange.getRequest().getPath().value(), status, kind, title, detail, extensions);
    }

    /** For answers given on another path than the one requested (the breakers' fallbacks). */
    public static Mono<Void> write(ServerWebExchange exchange, String instance, HttpStatus status, String kind,
            String title, String detail, Map<String, Object> extensions) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        byte[] body = json(status, kind, title, detail, instance, extensions);
        response.setStatusCode(status);
        response.getHeaders().setContentType(PROBLEM_JSON);
        response.getHeaders().setContentLength(body.length);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    static byte[] json(HttpStatus status, String kind, String title, String detail, String instance,
            Map<String, Object> extensions) {
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "type", BASE + kind).append(',');
        field(json, "title", title).append(',');
        json.append("\"status\":").append(status.value()).append(',');
        field(json, "detail", detail).append(',');
        field(json, "instance", instance);
        extensions.forEach((name, value) -> {
            json.append(',');
            if (value instanceof Number number) {
                quote(json, name).append(':').append(number);
            }
            else {
                field(json, name, String.valueOf(value));
            }
        });
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        return quote(quote(json, name).append(':'), value);
    }

    private static StringBuilder quote(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
