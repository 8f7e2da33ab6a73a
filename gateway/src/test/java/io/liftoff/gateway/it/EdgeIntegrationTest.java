package io.liftoff.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftoff.gateway.support.AbstractGatewayTest;
import io.liftoff.gateway.support.Tokens;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

class EdgeIntegrationTest extends AbstractGatewayTest {

    @Test
    void routedAnswersCarryTheSecurityHeaders() {
        CHECKLIST.stubFor(get("/api/releases/r1").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{}")));

        client.get().uri("/api/releases/r1").header("Authorization", bearer(Tokens.fresh())).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectHeader().valueEquals("Content-Security-Policy",
                        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
                // Plain HTTP here: HSTS is only sent over HTTPS.
                .expectHeader().doesNotExist("Strict-Transport-Security");
    }

    @Test
    void theGatewaysOwnRefusalsCarryTheSecurityHeadersToo() {
        client.get().uri("/api/releases/r1").exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("X-Frame-Options", "DENY");
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithoutAToken() {
        client.options().uri("/api/releases/r1").header("Origin", "https://app.liftoff.test")
                .header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "authorization,if-match,content-type").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Access-Control-Allow-Origin", "https://app.liftoff.test")
                .expectHeader().value("Access-Control-Allow-Methods", methods -> assertThat(methods).contains("PATCH"))
                .expectHeader().doesNotExist("Access-Control-Allow-Credentials");
        assertThat(CHECKLIST.getAllServeEvents()).isEmpty();
    }

    @Test
    void aCallFromAnOriginOutsideTheAllowlistIsRefused() {
        client.options().uri("/api/releases/r1").header("Origin", "https://evil.test")
                .header("Access-Control-Request-Method", "GET").exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist("Access-Control-Allow-Origin");
        client.get().uri("/api/releases/r1").header("Origin", "https://evil.test")
                .header("Authorization", bearer(Tokens.fresh())).exchange()
                .expectStatus().isForbidden();
        assertThat(CHECKLIST.getAllServeEvents()).isEmpty();
    }

    @Test
    void anAllowedOriginSeesTheHeadersItNeeds() {
        CHECKLIST.stubFor(get("/api/releases/r1").willReturn(aResponse().withStatus(200).withHeader("ETag", "\"7\"")));

        client.get().uri("/api/releases/r1").header("Origin", "https://app.liftoff.test")
                .header("Authorization", bearer(Tokens.fresh())).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Access-Control-Allow-Origin", "https://app.liftoff.test")
                .expectHeader().value("Access-Control-Expose-Headers",
                        exposed -> assertThat(exposed).contains("ETag", "Retry-After", "WWW-Authenticate"));
    }

    @Test
    void eachServiceContractIsServedAsYaml() {
        client.get().uri("/api-docs/checklist-service.yaml").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(yaml -> assertThat(yaml).startsWith("openapi:")
                        .contains("/api/releases/{releaseId}"));
        client.get().uri("/api-docs/signoff-service.yaml").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(yaml -> assertThat(yaml).contains("/api/releases/{releaseId}/gate"));
    }

    @Test
    void theHtmlReferenceOfEachContractIsServedWithAStrictPolicy() {
        client.get().uri("/docs/checklist-service/index.html").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectHeader().value("Content-Security-Policy",
                        csp -> assertThat(csp).startsWith("default-src 'none';").contains("frame-ancestors 'none'"))
                .expectBody(String.class).value(html -> assertThat(html).contains("getRelease"));
    }

    @Test
    void theDocsIndexListsTheServicesWhoseContractWasBuiltIn() {
        client.get().uri("/docs/index.html").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(html -> assertThat(html)
                        .contains("<a href=\"/docs/checklist-service/index.html\">reference</a>")
                        .contains("<a href=\"/api-docs/signoff-service.yaml\">OpenAPI contract</a>"));
    }

    @Test
    void theFallbackPathCannotBeCalledDirectly() {
        client.get().uri("/fallback/checklist").exchange().expectStatus().isNotFound();
    }
}
