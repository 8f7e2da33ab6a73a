package io.liftoff.gateway.security;

import org.springframework.http.server.PathContainer;
import org.springframework.security.authorization.AuthenticatedReactiveAuthorizationManager;
import org.springframework.security.authorization.AuthorityReactiveAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import reactor.core.publisher.Mono;

/**
 * Who may call what at the gateway, decided in one step per request: {@code /api/events} needs the role
 * {@code service}, every other {@code /api/**} path an authenticated caller, and everything outside {@code /api/**}
 * (health, info, metrics, the API documentation, the fallbacks) is open.
 * <p>
 * The same rules as {@code authorizeExchange().pathMatchers(...)} with the same {@link PathPattern}s on the same
 * decoded path, so an encoded {@code /api/%65vents} is {@code /api/events} here as it is to the route predicates. What
 * it leaves out is the matcher chain's work: the delegating manager tried its path matchers one after another, each
 * answering through its own {@code Mono}, eleven of them before an API read was decided (a tenth of the security
 * chain's visible frames in a profile of 2026-12-04).
 */
final class ApiAccess implements ReactiveAuthorizationManager<AuthorizationContext> {

    private static final PathPattern API = PathPatternParser.defaultInstance.parse("/api/**");
    private static final PathPattern EVENTS = PathPatternParser.defaultInstance.parse("/api/events");
    private static final Mono<AuthorizationResult> OPEN = Mono.just(new AuthorizationDecision(true));

    private final ReactiveAuthorizationManager<AuthorizationContext> services = AuthorityReactiveAuthorizationManager
            .hasRole("service");
    private final ReactiveAuthorizationManager<AuthorizationContext> callers = AuthenticatedReactiveAuthorizationManager
            .authenticated();

    @Override
    public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
        PathContainer path = context.getExchange().getRequest().getPath().pathWithinApplication();
        if (!API.matches(path)) {
            return OPEN;
        }
        return (EVENTS.matches(path) ? services : callers).authorize(authentication, context);
    }
}
