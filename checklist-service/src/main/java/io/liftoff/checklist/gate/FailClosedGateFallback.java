package io.liftoff.checklist.gate;

import java.util.List;

import io.liftoff.checklist.signoff.api.model.Gate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.liftoff.common.security.FeignFailures;

import org.springframework.cloud.openfeign.FallbackFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * When signoff-service cannot answer (down, slow, breaker open, an error), the gate is reported as NOT clear with a
 * reason that names the cause: a release never moves on because the sign-offs could not be checked.
 */
@Component
class FailClosedGateFallback implements FallbackFactory<SignoffGateClient> {

    private static final Logger log = LoggerFactory.getLogger(FailClosedGateFallback.class);

    @Override
    public SignoffGateClient create(Throwable cause) {
        return (releaseId, phase) -> {
            log.warn("signoff-service gate unavailable for release {} {}: {}", releaseId, phase, describe(cause));
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(GateAdapter.UNAVAILABLE_HEADER, describe(cause))
                    .body(new Gate().releaseId(releaseId).phase(phase).cleared(false).missingRoles(List.of()));
        };
    }

    static String describe(Throwable cause) {
        return FeignFailures.describe(cause);
    }
}
