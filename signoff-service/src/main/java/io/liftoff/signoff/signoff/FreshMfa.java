package io.liftoff.signoff.signoff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.liftoff.common.security.CurrentUser;
import io.liftoff.signoff.config.SignoffProperties;

import org.springframework.stereotype.Component;

/** Signing needs authentication level 2 no older than {@code mfa-max-age} (RFC 9470 step-up otherwise). */
@Component
class FreshMfa {

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final Clock clock;
    private final SignoffProperties properties;

    FreshMfa(Clock clock, SignoffProperties properties) {
        this.clock = clock;
        this.properties = properties;
    }

    void require(CurrentUser user) {
        Instant now = clock.instant();
        long maxAge = properties.mfaMaxAge().toSeconds();
        if (user.acr() < properties.requiredAcr()) {
            throw new StepUpRequired("Signing needs a second factor (authentication level "
                    + properties.requiredAcr() + "); this token has level " + user.acr(), maxAge);
        }
        if (user.authTime() == null || user.authTime().isAfter(now.plus(CLOCK_SKEW))
                || user.authTime().plusSeconds(maxAge).isBefore(now)) {
            throw new StepUpRequired("Signing needs an authentication no older than " + maxAge
                    + " seconds; authenticate again with your second factor", maxAge);
        }
    }
}
