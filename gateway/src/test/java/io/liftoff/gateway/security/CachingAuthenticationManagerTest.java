package io.liftoff.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

class CachingAuthenticationManagerTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final AtomicInteger validations = new AtomicInteger();
    private Instant expiresAt = NOW.plusSeconds(900);
    private boolean valid = true;

    private final ReactiveAuthenticationManager validator = authentication -> {
        validations.incrementAndGet();
        if (!valid) {
            return Mono.error(new OAuth2AuthenticationException(new OAuth2Error("invalid_token")));
        }
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        Jwt jwt = Jwt.withTokenValue(token).header("alg", "RS256").subject("sam").issuedAt(NOW.minusSeconds(10))
                .expiresAt(expiresAt).build();
        return Mono.just(new JwtAuthenticationToken(jwt, List.of()));
    };

    @Test
    void aTokenSeenBeforeIsNotValidatedAgain() {
        CachingAuthenticationManager manager = new CachingAuthenticationManager(validator, 100, clock);

        Authentication first = manager.authenticate(new BearerTokenAuthenticationToken("t1")).block();
        Authentication second = manager.authenticate(new BearerTokenAuthenticationToken("t1")).block();

        assertThat(second).isSameAs(first);
        assertThat(validations).hasValue(1);
    }

    @Test
    void differentTokensAreValidatedEach() {
        CachingAuthenticationManager manager = new CachingAuthenticationManager(validator, 100, clock);

        manager.authenticate(new BearerTokenAuthenticationToken("t1")).block();
        manager.authenticate(new BearerTokenAuthenticationToken("t2")).block();

        assertThat(validations).hasValue(2);
    }

    @Test
    void aCachedTokenIsValidatedAgainOnceItHasExpired() {
        expiresAt = NOW.plusSeconds(30);
        CachingAuthenticationManager manager = new CachingAuthenticationManager(validator, 100, clock);
        manager.authenticate(new BearerTokenAuthenticationToken("t1")).block();

        clock.now = NOW.plusSeconds(31);
        valid = false;

        StepVerifier.create(manager.authenticate(new BearerTokenAuthenticationToken("t1")))
                .expectError(OAuth2AuthenticationException.class).verify();
        assertThat(validations).hasValue(2);
    }

    @Test
    void aFailedTokenIsNeverRemembered() {
        valid = false;
        CachingAuthenticationManager manager = new CachingAuthenticationManager(validator, 100, clock);

        for (int i = 0; i < 3; i++) {
            StepVerifier.create(manager.authenticate(new BearerTokenAuthenticationToken("bad")))
                    .expectError(OAuth2AuthenticationException.class).verify();
        }
        assertThat(validations).hasValue(3);
        assertThat(manager.size()).isZero();
    }

    @Test
    void theCacheIsBounded() {
        CachingAuthenticationManager manager = new CachingAuthenticationManager(validator, 10, clock);

        for (int i = 0; i < 200; i++) {
            manager.authenticate(new BearerTokenAuthenticationToken("token-" + i)).block();
        }

        assertThat(manager.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void theKeyIsTheSha256OfTheToken() {
        assertThat(CachingAuthenticationManager.sha256("abc").remaining()).isEqualTo(32);
        assertThat(CachingAuthenticationManager.sha256("abc")).isEqualTo(CachingAuthenticationManager.sha256("abc"));
        assertThat(CachingAuthenticationManager.sha256("abc")).isNotEqualTo(CachingAuthenticationManager.sha256("abd"));
    }

    private static final class MutableClock extends Clock {

        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
