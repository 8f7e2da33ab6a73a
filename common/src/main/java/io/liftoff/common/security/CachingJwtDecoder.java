package io.liftoff.common.security;

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

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers validated tokens for their remaining lifetime, so that a client calling again with the same token costs a
 * SHA-256 and a map look-up instead of a JWT parse, an RS256 verification and the claim checks (on this machine the
 * verification alone was a tenth of the CPU of an item update). The key is the token's SHA-256, never the token; the
 * cache is bounded. Only tokens that passed every check are remembered, and one stops being served at its expiry.
 * The cache's upkeep (eviction, expiry) runs on the calling thread: by default Caffeine hands it to the common
 * ForkJoinPool, which woke one of its threads from the request's thread every few reads.
 */
public class CachingJwtDecoder implements JwtDecoder {

    private final JwtDecoder delegate;
    private final Cache<ByteBuffer, Jwt> validated;
    private final Clock clock;

    public CachingJwtDecoder(JwtDecoder delegate, int maximumSize, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.validated = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run)
                .expireAfter(Expiry.creating((ByteBuffer key, Jwt jwt) -> remainingLifetime(jwt)))
                .build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        ByteBuffer key = sha256(token);
        Jwt known = validated.getIfPresent(key);
        if (known != null && isLive(known)) {
            return known;
        }
        Jwt jwt = delegate.decode(token);
        if (isLive(jwt)) {
            validated.put(key, jwt);
        }
        return jwt;
    }

    private boolean isLive(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        return expiresAt != null && clock.instant().isBefore(expiresAt);
    }

    private Duration remainingLifetime(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        Duration remaining = expiresAt == null ? Duration.ZERO : Duration.between(clock.instant(), expiresAt);
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    private static ByteBuffer sha256(String token) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }
}
