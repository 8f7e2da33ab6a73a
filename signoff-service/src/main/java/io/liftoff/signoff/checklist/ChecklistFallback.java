package io.liftoff.signoff.checklist;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.signoff.checklist.api.model.Release;
import io.liftoff.signoff.checklist.api.model.ReleasePage;
import io.liftoff.signoff.checklist.api.model.ReleaseStatus;
import io.liftoff.signoff.checklist.api.model.ReleaseType;
import io.liftoff.signoff.checklist.api.model.TransitionRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.liftoff.common.security.FeignFailures;

import org.springframework.cloud.openfeign.FallbackFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Fails closed: when the checklist cannot be read (down, slow, breaker open, an error answer) nothing is signed and no
 * gate is clear; the caller gets 503. A 404 from checklist-service stays a 404 (unknown release).
 */
@Component
class ChecklistFallback implements FallbackFactory<ChecklistClient> {

    private static final Logger log = LoggerFactory.getLogger(ChecklistFallback.class);

    @Override
    public ChecklistClient create(Throwable cause) {
        return new ChecklistClient() {

            @Override
            public ResponseEntity<Release> getRelease(String releaseId) {
                if (cause instanceof feign.FeignException feign && feign.status() == 404) {
                    throw ProblemException.notFound("Release", releaseId);
                }
                log.warn("checklist-service unavailable for release {}: {}", releaseId, describe(cause));
                throw unavailable(cause);
            }

            @Override
            public ResponseEntity<Release> createRelease(String body, String product, String version,
                    ReleaseType type) {
                throw unavailable(cause);
            }

            @Override
            public ResponseEntity<ReleasePage> listReleases(String product, ReleaseStatus status, String version,
                    Integer page, Integer size) {
                throw unavailable(cause);
            }

            @Override
            public ResponseEntity<Release> transitionRelease(String releaseId, TransitionRequest request) {
                throw unavailable(cause);
            }
        };
    }

    static ProblemException unavailable(Throwable cause) {
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.of("checklist-unavailable"),
                "Checklist unavailable", "The release's checklist could not be read (" + describe(cause)
                        + "); nothing was signed and no gate is clear");
    }

    static String describe(Throwable cause) {
        return FeignFailures.describe(cause);
    }
}
