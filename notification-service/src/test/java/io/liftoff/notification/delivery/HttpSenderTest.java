package io.liftoff.notification.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;

import io.liftoff.notification.channel.AddressPolicy;
import io.liftoff.notification.channel.AddressPolicyTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP client of the Slack and webhook senders, against WireMock (answer timeout 1 s in these settings). */
class HttpSenderTest {

    private static final WireMockServer RECEIVER = new WireMockServer(wireMockConfig().dynamicPort());

    private final HttpSender sender = new HttpSender(AddressPolicyTest.properties("127.0.0.1"),
            new AddressPolicy(AddressPolicyTest.properties("127.0.0.1")));

    @BeforeAll
    static void start() {
        RECEIVER.start();
    }

    @AfterAll
    static void stop() {
        RECEIVER.stop();
    }

    @AfterEach
    void reset() {
        RECEIVER.resetAll();
        sender.destroy();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + RECEIVER.port() + path;
    }

    @Test
    void postsTheBodyAsJsonWithTheCallersHeaders() {
        RECEIVER.stubFor(post("/hook").willReturn(aResponse().withStatus(204)));

        for (int i = 0; i < 3; i++) {
            assertThat(sender.post(url("/hook"), "{\"n\":\"ü" + i + "\"}", Map.of("X-Liftoff-Signature", "s" + i)))
                    .isEqualTo(SendResult.delivered(204));
        }

        for (int i = 0; i < 3; i++) {
            RECEIVER.verify(postRequestedFor(urlEqualTo("/hook")).withHeader("Content-Type", equalTo("application/json"))
                    .withHeader("User-Agent", equalTo("Liftoff-Notifications/1"))
                    .withHeader("X-Liftoff-Signature", equalTo("s" + i))
                    .withRequestBody(equalTo("{\"n\":\"ü" + i + "\"}")));
        }
        assertThat(RECEIVER.getAllServeEvents()).hasSize(3);
    }

    @Test
    void aReceiverSlowerThanTheAnswerTimeoutIsATimeoutAndTheSendIsNotRepeated() {
        RECEIVER.stubFor(post("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(3000)));

        SendResult result = sender.post(url("/slow"), "{}", Map.of());

        assertThat(result).isEqualTo(SendResult.failed(null, "timed out"));
        RECEIVER.verify(1, postRequestedFor(urlEqualTo("/slow")));
    }

    @Test
    void aConnectionResetFailsTheAttemptWithoutARetryOfItsOwn() {
        RECEIVER.stubFor(post("/reset").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        SendResult result = sender.post(url("/reset"), "{}", Map.of());

        assertThat(result.outcome()).isEqualTo(SendResult.Outcome.FAILED);
        assertThat(result.error()).isNotBlank();
        RECEIVER.verify(1, postRequestedFor(urlEqualTo("/reset")));
    }

    @Test
    void aRedirectIsAnsweredAsSuchAndItsTargetIsNeverAsked() {
        RECEIVER.stubFor(post("/moved").willReturn(aResponse().withStatus(307).withHeader("Location", url("/target"))));

        SendResult result = sender.post(url("/moved"), "{}", Map.of());

        assertThat(result.outcome()).isEqualTo(SendResult.Outcome.REFUSED);
        assertThat(result.statusCode()).isEqualTo(307);
        RECEIVER.verify(0, postRequestedFor(urlEqualTo("/target")));
    }

    @Test
    void aRefusedAddressIsNeverContacted() {
        HttpSender strict = new HttpSender(AddressPolicyTest.properties(),
                new AddressPolicy(AddressPolicyTest.properties()));

        SendResult result = strict.post(url("/hook"), "{}", Map.of());

        assertThat(result.outcome()).isEqualTo(SendResult.Outcome.REFUSED);
        assertThat(RECEIVER.getAllServeEvents()).isEmpty();
        strict.destroy();
    }
}
