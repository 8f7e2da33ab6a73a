package io.liftoff.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** Every header the resolver is given is also given to Spring Security's default: both must answer the same. */
class HeaderBearerTokenResolverTest {

    private final BearerTokenResolver resolver = new HeaderBearerTokenResolver();
    private final BearerTokenResolver reference = new DefaultBearerTokenResolver();

    @ParameterizedTest
    @ValueSource(strings = { "Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl", "bearer abc", "BEARER abc-._~+/09AZaz",
            "Bearer abc==", "Bearer a=", "Basic dXNlcjpwYXNz", "", "Token abc", "Bear abc" })
    void acceptsWhatTheDefaultAccepts(String authorization) {
        assertSame(request -> request.addHeader("Authorization", authorization));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Bearer", "Bearer ", "Bearerabc", "Bearer  abc", "Bearer abc ", "Bearer a b",
            "Bearer abc=d", "Bearer =abc", "Bearer abc\"", "Bearer\tabc", "Bearer ab%63", "bearer: abc" })
    void refusesWhatTheDefaultRefuses(String authorization) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/events");
        request.addHeader("Authorization", authorization);

        assertThatThrownBy(() -> reference.resolve(request)).isInstanceOf(OAuth2AuthenticationException.class);
        assertThatThrownBy(() -> resolver.resolve(request)).isInstanceOf(OAuth2AuthenticationException.class)
                .hasMessageContaining("malformed");
    }

    @ParameterizedTest
    @ValueSource(strings = { "GET", "POST" })
    void noHeaderIsNoToken(String method) {
        assertThat(resolver.resolve(new MockHttpServletRequest(method, "/api/events"))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "GET", "DELETE" })
    void aTokenParameterBesideTheHeaderIsTreatedAsByTheDefault(String method) {
        assertSame(r -> {
            r.addHeader("Authorization", "Bearer abc");
            r.setQueryString("access_token=def");
            r.addParameter("access_token", "def");
        }, method);
    }

    @ParameterizedTest
    @ValueSource(strings = { "access_token=def", "limit=5" })
    void aTokenParameterAloneIsNotAccepted(String query) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/notifications");
        request.setQueryString(query);
        request.addParameter(query.substring(0, query.indexOf('=')), query.substring(query.indexOf('=') + 1));

        assertThat(resolver.resolve(request)).isNull();
    }

    private void assertSame(Consumer<MockHttpServletRequest> setUp) {
        assertSame(setUp, "POST");
    }

    private void assertSame(Consumer<MockHttpServletRequest> setUp, String method) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/api/events");
        setUp.accept(request);
        Object expected = outcome(reference, request);
        assertThat(outcome(resolver, request)).isEqualTo(expected);
    }

    /** The token, or the refusal's error code and description. */
    private static Object outcome(BearerTokenResolver resolver, MockHttpServletRequest request) {
        try {
            return resolver.resolve(request);
        }
        catch (OAuth2AuthenticationException ex) {
            return ex.getError().getErrorCode() + ": " + ex.getError().getDescription();
        }
    }
}
