package io.liftoff.notification.contact;

import io.liftoff.notification.checklist.api.ReleasesApi;

import org.springframework.cloud.openfeign.FeignClient;

/**
 * checklist-service's releases, as its contract defines them (the interface is generated from
 * {@code checklist-service.yaml}). Circuit breaker, timeouts and retries are configured under {@code checklist} in
 * application.yml; {@link ChecklistFallback} answers when checklist-service cannot.
 */
@FeignClient(name = "checklist", url = "${liftoff.checklist.url}", fallbackFactory = ChecklistFallback.class)
public interface ChecklistClient extends ReleasesApi {
}
