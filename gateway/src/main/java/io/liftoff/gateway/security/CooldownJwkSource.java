package io.liftoff.gateway.security;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * The issuer's signing keys, fetched from its JWK set on first use and again when a token names a key the gateway
 * does not know (Keycloak rotated its key) — but at most once per cool-down. Spring Security's own remote source
 * fetches the set again for every unknown {@code kid}, which would let anyone make the gateway call Keycloak once
 * per forged token.
 */
class CooldownJwkSource implements Function<SignedJWT, Flux<JWK>> {

    private final WebClient web;
    private final String jwkSetUri;
    private final Duration cooldown;
    private final Clock clock;

    /** Reactor's "never expires" for {@link Mono#cache(Function, Function, java.util.function.Supplier)}. */
    private static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);

    private volatile Mono<JWKSet> keys;
    private volatile Instant fetchedAt = Instant.MIN;

    CooldownJwkSource(WebClient web, String jwkSetUri, Duration cooldown, Clock clock) {
        this.web = web;
        this.jwkSetUri = jwkSetUri;
        this.cooldown = cooldown;
        this.clock = clock;
    }

    @Override
    public Flux<JWK> apply(SignedJWT jwt) {
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader()));
        Mono<JWKSet> known = keys;
        Mono<JWKSet> current = known != null ? known : refresh(null);
        return current.flatMapMany(set -> {
            List<JWK> matches = selector.select(set);
            if (!matches.isEmpty() || clock.instant().isBefore(fetchedAt.plus(cooldown))) {
                return Flux.fromIterable(matches);
            }
            return refresh(current).flatMapIterable(selector::select);
        });
    }

    /**
     * Starts a fetch unless another one started within the cool-down. A successful set is kept until the next
     * refresh; a failed fetch is not kept (the next token tries again) and, when a set was known, falls back to it.
     */
    private synchronized Mono<JWKSet> refresh(Mono<JWKSet> previous) {
        if (keys != null && (keys != previous || clock.instant().isBefore(fetchedAt.plus(cooldown)))) {
            return keys;
        }
        fetchedAt = clock.instant();
        Mono<JWKSet> fetch = web.get().uri(jwkSetUri).retrieve().bodyToMono(String.class)
                .map(CooldownJwkSource::parse);
        if (previous != null) {
            fetch = fetch.onErrorResume(error -> previous);
        }
        keys = fetch.cache(set -> FOREVER, error -> Duration.ZERO, () -> Duration.ZERO);
        return keys;
    }

    private static JWKSet parse(String json) {
        try {
            return JWKSet.parse(json);
        }
        catch (ParseException ex) {
            throw new IllegalStateException("The issuer's JWK set is not valid JSON", ex);
        }
    }
}
