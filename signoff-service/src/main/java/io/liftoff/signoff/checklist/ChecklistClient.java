package io.liftoff.signoff.checklist;

import io.liftoff.signoff.checklist.api.ReleasesApi;

import org.springframework.cloud.openfeign.FeignClient;

/**
 * checklist-service's releases, as its contract defines them (generated from {@code checklist-service.yaml}). Only
 * {@code getRelease}, a read, is called: timeouts, retries (connection failures only) and the circuit breaker are
 * configured under {@code checklist} in application.yml; the fallback fails closed.
 */
@FeignClient(name = "checklist", url = "${liftoff.checklist.url}", fallbackFactory = ChecklistFallback.class)
interface ChecklistClient extends ReleasesApi {
}
