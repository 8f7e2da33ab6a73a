package io.liftoff.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class CachingJwtDecoderTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final AtomicInteger decoded = new AtomicInteger();

    @Test
    void aValidTokenIsVerifiedOnceAndServedFromTheCacheUntilItExpires() {
        MutableClock clock = new MutableClock(NOW);
        CachingJwtDecoder decoder = new CachingJwtDecoder(delegate(NOW.plusSeconds(60)), 100, clock);

        Jwt first = decoder.decode("token-a");
        Jwt second = decoder.decode("token-a");

        assertThat(second).isSameAs(first);
        assertThat(decoded).hasValue(1);

        clock.now = NOW.plusSeconds(61);
        decoder.decode("token-a");
        assertThat(decoded).as("an expired entry goes back to the real decoder").hasValue(2);
    }

    @Test
    void aRefusedTokenIsNeverRemembered() {
        JwtDecoder refusing = token -> {
            decoded.incrementAndGet();
            throw new BadJwtException("signature does not match");
        };
        CachingJwtDecoder decoder = new CachingJwtDecoder(refusing, 100, new MutableClock(NOW));

        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThat(decoded).hasValue(2);
    }

    @Test
    void differentTokensAreDifferentEntries() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(delegate(NOW.plusSeconds(60)), 100, new MutableClock(NOW));

        assertThat(decoder.decode("token-a").getSubject()).isEqualTo("token-a");
        assertThat(decoder.decode("token-b").getSubject()).isEqualTo("token-b");
        assertThat(decoded).hasValue(2);
    }

    private JwtDecoder delegate(Instant expiresAt) {
        return token -> {
            decoded.incrementAndGet();
            return Jwt.withTokenValue(token).header("alg", "RS256").subject(token).issuedAt(NOW.minusSeconds(1))
                    .expiresAt(expiresAt).build();
        };
    }

    private static final class MutableClock extends Clock {

        private Instant now;

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
