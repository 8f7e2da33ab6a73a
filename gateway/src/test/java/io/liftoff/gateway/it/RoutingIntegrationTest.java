package io.liftoff.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.liftoff.gateway.support.AbstractGatewayTest;
import io.liftoff.gateway.support.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.http.HttpMethod;

class RoutingIntegrationTest extends AbstractGatewayTest {

    static Stream<Arguments> routes() {
        return Stream.of(
                Arguments.of("GET", "/api/releases", "checklist"),
                Arguments.of("POST", "/api/releases?product=toolboxai", "checklist"),
                Arguments.of("GET", "/api/releases/r1", "checklist"),
                Arguments.of("PATCH", "/api/releases/r1/items/i1", "checklist"),
                Arguments.of("POST", "/api/releases/r1/transitions", "checklist"),
                Arguments.of("GET", "/api/templates/t1/versions", "checklist"),
                Arguments.of("GET", "/api/releases/r1/gate?phase=PRE_RELEASE", "signoff"),
                Arguments.of("GET", "/api/releases/r1/signoffs", "signoff"),
                Arguments.of("POST", "/api/releases/r1/signoffs", "signoff"),
                Arguments.of("GET", "/api/signoffs?product=toolboxai", "signoff"),
                Arguments.of("GET", "/api/log/checkpoint", "signoff"),
                Arguments.of("GET", "/api/log/entries/3?treeSize=5", "signoff"),
                Arguments.of("GET", "/api/releases/r1/monitoring", "monitoring"),
                Arguments.of("GET", "/api/releases/r1/monitoring/checks/c1", "monitoring"),
                Arguments.of("POST", "/api/releases/r1/samples", "monitoring"),
                Arguments.of("POST", "/api/alertmanager/webhook", "monitoring"),
                Arguments.of("POST", "/api/events/batch", "notification"),
                Arguments.of("GET", "/api/notifications", "notification"),
                Arguments.of("POST", "/api/notifications/n1/ack", "notification"),
                Arguments.of("GET", "/api/channels", "notification"),
                Arguments.of("GET", "/api/deliveries", "notification"),
                Arguments.of("GET", "/api/products/toolboxai/contacts", "notification"),
                Arguments.of("PUT", "/api/products/toolboxai/templates/item.updated", "notification"),
                Arguments.of("GET", "/api/products/toolboxai/releases/r1/contacts", "notification"));
    }

    @ParameterizedTest(name = "{0} {1} → {2}-service")
    @MethodSource("routes")
    void eachApiPathReachesTheServiceThatOwnsIt(String method, String pathAndQuery, String service) {
        Map<String, WireMockServer> backends = Map.of("checklist", CHECKLIST, "signoff", SIGNOFF, "monitoring",
                MONITORING, "notification", NOTIFICATION);
        backends.values().forEach(backend -> backend.stubFor(any(urlEqualTo(pathAndQuery))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"from\":\"" + service + "\"}"))));

        client.method(HttpMethod.valueOf(method)).uri(pathAndQuery)
                .header("Authorization", bearer(Tokens.fresh()))
                .header("Content-Type", "application/json").bodyValue(method.equals("GET") ? "" : "{}")
                .exchange().expectStatus().isOk();

        backends.forEach((name, backend) -> assertThat(backend.findAll(anyRequestedFor(urlEqualTo(pathAndQuery))))
                .as("calls that reached %s-service", name).hasSize(name.equals(service) ? 1 : 0));
    }

    @Test
    void theAuthorizationHeaderReachesTheServiceUnchanged() {
        String token = Tokens.fresh();
        CHECKLIST.stubFor(get("/api/releases/r1").willReturn(aResponse().withStatus(200)));

        client.get().uri("/api/releases/r1").header("Authorization", bearer(token)).exchange().expectStatus().isOk();

        CHECKLIST.verify(getRequestedFor(urlEqualTo("/api/releases/r1"))
                .withHeader("Authorization", equalTo("Bearer " + token)));
    }

    @Test
    void aStepUpChallengeFromAServiceReachesTheClientUnchanged() {
        String challenge = "Bearer error=\"insufficient_user_authentication\", "
                + "error_description=\"A sign-off needs a second factor within the last 5 minutes\", "
                + "acr_values=\"2\", max_age=300";
        String body = "{\"type\":\"https://liftoff.dev/problems/step-up-required\",\"status\":401}";
        SIGNOFF.stubFor(any(urlEqualTo("/api/releases/r1/signoffs")).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", challenge).withHeader("Content-Type", "application/problem+json")
                .withBody(body)));

        client.post().uri("/api/releases/r1/signoffs").header("Authorization", bearer(Tokens.fresh()))
                .header("Content-Type", "application/json").bodyValue("{\"role\":\"security-lead\"}").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", challenge)
                .expectHeader().contentType("application/problem+json")
                .expectBody(String.class).isEqualTo(body);
    }

    @Test
    void theW3cTraceContextIsForwardedWithTheSameTraceId() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        CHECKLIST.stubFor(get("/api/releases/r1").willReturn(aResponse().withStatus(200)));

        client.get().uri("/api/releases/r1").header("Authorization", bearer(Tokens.fresh()))
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01").exchange().expectStatus().isOk();

        CHECKLIST.verify(getRequestedFor(urlPathEqualTo("/api/releases/r1"))
                .withHeader("traceparent", matching("00-" + traceId + "-[0-9a-f]{16}-01")));
    }

    @Test
    void aRequestWithoutTraceContextStillGetsOneWhetherOrNotItsSpanIsSampled() {
        // 10 % of the gateway's own traces are recorded by default; every request still carries a W3C trace context.
        CHECKLIST.stubFor(get("/api/releases/r2").willReturn(aResponse().withStatus(200)));
        for (int i = 0; i < 20; i++) {
            client.get().uri("/api/releases/r2").header("Authorization", bearer(Tokens.fresh())).exchange()
                    .expectStatus().isOk();
        }
        CHECKLIST.verify(20, getRequestedFor(urlPathEqualTo("/api/releases/r2"))
                .withHeader("traceparent", matching("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]")));
    }

    @Test
    void pooledConnectionsToTheServicesCloseBeforeTheServicesCloseThem(
            @org.springframework.beans.factory.annotation.Autowired
            org.springframework.cloud.gateway.config.HttpClientProperties httpClient) {
        // The services' Tomcat closes a keep-alive connection after 60 s idle; the gateway must let go first.
        assertThat(httpClient.getPool().getMaxIdleTime()).isEqualTo(java.time.Duration.ofSeconds(30));
    }

    @Test
    void anApiPathNoServiceOwnsIsAProblem404() {
        client.get().uri("/api/nothing-here").header("Authorization", bearer(Tokens.fresh())).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType("application/problem+json")
                .expectBody().jsonPath("$.type").isEqualTo("https://liftoff.dev/problems/not-found");
        for (WireMockServer backend : List.of(CHECKLIST, SIGNOFF, MONITORING, NOTIFICATION)) {
            assertThat(backend.getAllServeEvents()).isEmpty();
        }
    }

    /**
     * {@code curl -X POST .../ack} sends neither Content-Length nor Transfer-Encoding: no body (RFC 9112 6.3). The
     * gateway's HTTP client forwarded it chunked, with an empty body, and Spring MVC took that for a body without a
     * Content-Type: an acknowledgement, whose body is optional, answered 415 through the gateway and 200 directly.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = { "POST", "PUT", "PATCH", "DELETE" })
    void aRequestWithoutABodyReachesTheServiceWithoutOne(String method) throws Exception {
        NOTIFICATION.stubFor(any(urlEqualTo("/api/notifications/n1/ack")).willReturn(aResponse().withStatus(200)));

        String status = rawRequest(method + " /api/notifications/n1/ack HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: " + bearer(Tokens.fresh()) + "\r\nConnection: close\r\n\r\n");

        assertThat(status).startsWith("HTTP/1.1 200");
        var received = NOTIFICATION.findAll(anyRequestedFor(urlEqualTo("/api/notifications/n1/ack")));
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getMethod().getName()).isEqualTo(method);
        assertThat(received.get(0).containsHeader("Transfer-Encoding")).as("sent chunked").isFalse();
        assertThat(received.get(0).getBody()).isEmpty();
    }

    @Test
    void aChunkedBodyStillReachesTheServiceWhole() throws Exception {
        NOTIFICATION.stubFor(any(urlEqualTo("/api/notifications/n2/ack")).willReturn(aResponse().withStatus(200)));

        String status = rawRequest("POST /api/notifications/n2/ack HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: " + bearer(Tokens.fresh()) + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "b\r\n{\"note\":\"x\"\r\n1\r\n}\r\n0\r\n\r\n");

        assertThat(status).startsWith("HTTP/1.1 200");
        var received = NOTIFICATION.findAll(anyRequestedFor(urlEqualTo("/api/notifications/n2/ack")));
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getBodyAsString()).isEqualTo("{\"note\":\"x\"}");
    }

    /** Sends the request as written, on its own connection; answers the status line. */
    private String rawRequest(String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII));
            return in.readLine();
        }
    }
}
