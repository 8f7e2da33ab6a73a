package io.liftoff.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.server.authorization.AuthorizationContext;

class ApiAccessTest {

    private final ApiAccess access = new ApiAccess();

    private static final Authentication USER = authenticated("ROLE_release-manager");
    private static final Authentication SERVICE = authenticated("ROLE_service");

    @ParameterizedTest
    @ValueSource(strings = { "/actuator/health", "/actuator/health/readiness", "/actuator/info", "/actuator/prometheus",
            "/api-docs/checklist.yaml", "/docs", "/docs/checklist/index.html", "/favicon.ico", "/fallback/checklist",
            "/apis", "/" })
    void everythingOutsideTheApiIsOpenWithoutAToken(String path) {
        assertThat(granted(path, null)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "/api", "/api/releases/r1", "/api/templates", "/api/events/batch", "/api/log/entries",
            "/api/nothing-here" })
    void everyOtherApiPathNeedsAnAuthenticatedCaller(String path) {
        assertThat(granted(path, null)).isFalse();
        assertThat(granted(path, unauthenticated())).isFalse();
        assertThat(granted(path, USER)).isTrue();
        assertThat(granted(path, SERVICE)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "/api/events", "/api/%65vents" })
    void eventsAreForTheServicesOnlyHoweverThePathIsEncoded(String path) {
        // The route predicates match the decoded path (%65 is 'e') and send it on as /api/events; so does the rule.
        assertThat(granted(path, SERVICE)).isTrue();
        assertThat(granted(path, USER)).isFalse();
        assertThat(granted(path, null)).isFalse();
    }

    private boolean granted(String path, Authentication authentication) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.method(org.springframework.http.HttpMethod.GET, URI.create(path)).build());
        return access.authorize(Mono.justOrEmpty(authentication), new AuthorizationContext(exchange))
                .map(result -> result.isGranted()).defaultIfEmpty(false).block();
    }

    private static Authentication authenticated(String role) {
        TestingAuthenticationToken token = new TestingAuthenticationToken("someone", "n/a",
                List.of(new SimpleGrantedAuthority(role)));
        token.setAuthenticated(true);
        return token;
    }

    private static Authentication unauthenticated() {
        TestingAuthenticationToken token = new TestingAuthenticationToken("someone", "n/a");
        token.setAuthenticated(false);
        return token;
    }
}
