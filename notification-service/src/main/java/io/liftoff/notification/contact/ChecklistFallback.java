package io.liftoff.notification.contact;

import io.liftoff.notification.checklist.api.model.Release;
import io.liftoff.notification.checklist.api.model.ReleasePage;
import io.liftoff.notification.checklist.api.model.ReleaseStatus;
import io.liftoff.notification.checklist.api.model.ReleaseType;
import io.liftoff.notification.checklist.api.model.TransitionRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.liftoff.common.security.FeignFailures;

import org.springframework.cloud.openfeign.FallbackFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * When checklist-service cannot answer (down, slow, breaker open, an error), the release is reported as unavailable
 * with the cause in a header; checklist-service's own 404 stays a 404. Notifications still go out: the contacts are
 * then the overrides stored here, and the notification says so ({@code contactsSource = OVERRIDES_ONLY}).
 */
@Component
class ChecklistFallback implements FallbackFactory<ChecklistClient> {

    static final String CAUSE_HEADER = "X-Liftoff-Checklist-Unavailable";

    private static final Logger log = LoggerFactory.getLogger(ChecklistFallback.class);

    @Override
    public ChecklistClient create(Throwable cause) {
        return new ChecklistClient() {

            @Override
            public ResponseEntity<Release> getRelease(String releaseId) {
                if (cause instanceof feign.FeignException feign && feign.status() == 404) {
                    return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
                }
                log.warn("checklist-service could not give release {}: {}", releaseId, describe(cause));
                return unavailable();
            }

            @Override
            public ResponseEntity<Release> createRelease(String body, String product, String version,
                    ReleaseType type) {
                return unavailable();
            }

            @Override
            public ResponseEntity<ReleasePage> listReleases(String product, ReleaseStatus status, String version,
                    Integer page, Integer size) {
                return unavailable();
            }

            @Override
            public ResponseEntity<Release> transitionRelease(String releaseId, TransitionRequest request) {
                return unavailable();
            }

            private <T> ResponseEntity<T> unavailable() {
                return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(CAUSE_HEADER, describe(cause))
                        .build();
            }
        };
    }

    static String describe(Throwable cause) {
        return FeignFailures.describe(cause);
    }
}
