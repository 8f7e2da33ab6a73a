package io.liftoff.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

class BearerTokenConverterTest {

    private final BearerTokenConverter converter = new BearerTokenConverter();

    @ParameterizedTest
    @ValueSource(strings = { "Bearer ", "bearer ", "BEARER " })
    void theTokenIsReadFromTheAuthorizationHeaderWhateverTheSchemesCase(String scheme) {
        MockServerWebExchange exchange = MockServerWebExchange
                .from(MockServerHttpRequest.get("/api/releases").header("Authorization", scheme + "aa.bb-_~+/.cc=="));

        StepVerifier.create(converter.convert(exchange))
                .assertNext(auth -> assertThat(((BearerTokenAuthenticationToken) auth).getToken())
                        .isEqualTo("aa.bb-_~+/.cc=="))
                .verifyComplete();
    }

    @ParameterizedTest
    @ValueSource(strings = { "Basic dXNlcjpwYXNz", "Bearer", "Token abc" })
    void noBearerTokenMeansNoAuthenticationAttempt(String header) {
        MockServerWebExchange exchange = MockServerWebExchange
                .from(MockServerHttpRequest.get("/api/releases").header("Authorization", header));

        StepVerifier.create(converter.convert(exchange)).verifyComplete();
    }

    @Test
    void noHeaderMeansNoAuthenticationAttempt() {
        StepVerifier.create(converter.convert(MockServerWebExchange.from(MockServerHttpRequest.get("/api/releases"))))
                .verifyComplete();
    }

    @ParameterizedTest
    @ValueSource(strings = { "Bearer two words", "Bearer ===", "Bearer a=b", "Bearer ", "Bearer tok\u00e9n" })
    void aMalformedTokenIsAnInvalidToken(String header) {
        MockServerWebExchange exchange = MockServerWebExchange
                .from(MockServerHttpRequest.get("/api/releases").header("Authorization", header));

        StepVerifier.create(converter.convert(exchange))
                .expectErrorSatisfies(error -> assertThat(((OAuth2AuthenticationException) error).getError()
                        .getErrorCode()).isEqualTo("invalid_token"))
                .verify();
    }

    @Test
    void aTokenInTheQueryStringIsAnInvalidRequestEvenWithAHeader() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest
                .get("/api/releases?product=x&access_token=aa.bb.cc").header("Authorization", "Bearer aa.bb.cc"));

        StepVerifier.create(converter.convert(exchange))
                .expectErrorSatisfies(error -> assertThat(((OAuth2AuthenticationException) error).getError()
                        .getErrorCode()).isEqualTo("invalid_request"))
                .verify();
    }

    @Test
    void aQueryThatMerelyMentionsTheParameterNameIsNotATokenInTheQuery() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest
                .get("/api/signoffs?note=access_token").header("Authorization", "Bearer aa.bb.cc"));

        StepVerifier.create(converter.convert(exchange)).expectNextCount(1).verifyComplete();
    }
}
