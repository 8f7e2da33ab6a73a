package io.liftoff.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

class ProblemsTest {

    @Test
    void aProblemIsRfc9457JsonWithEscapedTextAndExtensions() {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("retryAfterSeconds", 3);
        extensions.put("route", "check\"list");

        String json = new String(Problems.json(HttpStatus.TOO_MANY_REQUESTS, Problems.RATE_LIMITED, "Too many",
                "line\none \\ \"quoted\"\u0001", "/api/x", extensions), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"type\":\"https://liftoff.dev/problems/rate-limited\",\"title\":\"Too many\","
                + "\"status\":429,\"detail\":\"line\\none \\\\ \\\"quoted\\\"\\u0001\",\"instance\":\"/api/x\","
                + "\"retryAfterSeconds\":3,\"route\":\"check\\\"list\"}");
    }

    @Test
    void aFallbackNamesTheServiceOfItsRoute() {
        assertThat(FallbackHandler.serviceOf("signoff-release")).isEqualTo("signoff-service");
        assertThat(FallbackHandler.serviceOf("checklist")).isEqualTo("checklist-service");
    }
}
