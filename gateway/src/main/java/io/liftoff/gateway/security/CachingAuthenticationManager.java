package io.liftoff.gateway.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Remembers validated tokens for their remaining lifetime, so that a client sending the same token again costs a
 * SHA-256 and a map look-up instead of a JWT parse, an RS256 verification and the claim checks. The key is the
 * token's SHA-256 (the token itself is never kept as a key); the cache is bounded. Only successes are remembered: a
 * token that failed is checked again, and a token stops being served from the cache when it expires.
 * The cache's upkeep (eviction, expiry) runs on the calling thread: by default Caffeine hands it to the common
 * ForkJoinPool, which woke one of its threads from the request's thread every few reads.
 */
public class CachingAuthenticationManager implements ReactiveAuthenticationManager {

    private final ReactiveAuthenticationManager delegate;
    private final Cache<ByteBuffer, JwtAuthenticationToken> validated;
    private final Clock clock;

    public CachingAuthenticationManager(ReactiveAuthenticationManager delegate, int maximumSize, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.validated = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run)
                .expireAfter(Expiry.creating(
                        (ByteBuffer key, JwtAuthenticationToken value) -> remainingLifetime(value)))
                .build();
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
            return delegate.authenticate(authentication);
        }
        ByteBuffer key = sha256(bearer.getToken());
        JwtAuthenticationToken known = validated.getIfPresent(key);
        if (known != null && isLive(known)) {
            return Mono.just(known);
        }
        return delegate.authenticate(authentication).doOnNext(result -> {
            if (result instanceof JwtAuthenticationToken jwt && isLive(jwt)) {
                validated.put(key, jwt);
            }
        });
    }

    long size() {
        validated.cleanUp();
        return validated.estimatedSize();
    }

    private boolean isLive(JwtAuthenticationToken token) {
        Instant expiresAt = token.getToken().getExpiresAt();
        return expiresAt != null && clock.instant().isBefore(expiresAt);
    }

    private Duration remainingLifetime(JwtAuthenticationToken token) {
        Instant expiresAt = token.getToken().getExpiresAt();
        Duration remaining = expiresAt == null ? Duration.ZERO : Duration.between(clock.instant(), expiresAt);
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    static ByteBuffer sha256(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return ByteBuffer.wrap(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }
}
