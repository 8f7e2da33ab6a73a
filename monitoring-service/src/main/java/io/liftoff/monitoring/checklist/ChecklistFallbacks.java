package io.liftoff.monitoring.checklist;

import java.util.List;

import io.liftoff.monitoring.checklist.api.model.Item;
import io.liftoff.monitoring.checklist.api.model.ItemChange;
import io.liftoff.monitoring.checklist.api.model.ItemUpdate;
import io.liftoff.monitoring.checklist.api.model.Release;
import io.liftoff.monitoring.checklist.api.model.ReleasePage;
import io.liftoff.monitoring.checklist.api.model.ReleaseStatus;
import io.liftoff.monitoring.checklist.api.model.ReleaseType;
import io.liftoff.monitoring.checklist.api.model.TransitionRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.liftoff.common.security.FeignFailures;

import org.springframework.cloud.openfeign.FallbackFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * When checklist-service does not answer well, the fallbacks answer with the status it gave (or 503) and the cause in
 * a header, so that callers decide: a release that cannot be read is never monitored on guesses (fail closed).
 */
final class ChecklistFallbacks {

    static final String CAUSE_HEADER = "X-Liftoff-Checklist-Unavailable";

    private static final Logger log = LoggerFactory.getLogger(ChecklistFallbacks.class);

    private ChecklistFallbacks() {
    }

    @Component
    static class Reader implements FallbackFactory<ChecklistReader> {

        @Override
        public ChecklistReader create(Throwable cause) {
            return new ChecklistReader() {
                @Override
                public ResponseEntity<Release> getRelease(String releaseId) {
                    log.warn("checklist-service could not give release {}: {}", releaseId, describe(cause));
                    return failure(cause);
                }

                @Override
                public ResponseEntity<Release> createRelease(String body, String product, String version,
                        ReleaseType type) {
                    return failure(cause);
                }

                @Override
                public ResponseEntity<ReleasePage> listReleases(
                        String product, ReleaseStatus status,
                        String version, Integer page, Integer size) {
                    return failure(cause);
                }

                @Override
                public ResponseEntity<Release> transitionRelease(String releaseId,
                        TransitionRequest transitionRequest) {
                    return failure(cause);
                }
            };
        }
    }

    @Component
    static class Writer implements FallbackFactory<ChecklistItemWriter> {

        @Override
        public ChecklistItemWriter create(Throwable cause) {
            return new ChecklistItemWriter() {
                @Override
                public ResponseEntity<Item> updateItem(String releaseId,
                        String itemId, String ifMatch, ItemUpdate itemUpdate) {
                    log.warn("checklist-service did not take the update of item {} of {}: {}", itemId, releaseId,
                            describe(cause));
                    return failure(cause);
                }

                @Override
                public ResponseEntity<Item> getItem(String releaseId,
                        String itemId) {
                    return failure(cause);
                }

                @Override
                public ResponseEntity<List<ItemChange>> getItemHistory(
                        String releaseId, String itemId) {
                    return failure(cause);
                }
            };
        }
    }

    private static <T> ResponseEntity<T> failure(Throwable cause) {
        int status = cause instanceof feign.FeignException feign && feign.status() > 0 ? feign.status() : 503;
        return ResponseEntity.status(status).header(CAUSE_HEADER, describe(cause)).build();
    }

    static String describe(Throwable cause) {
        return FeignFailures.describe(cause);
    }
}
