package io.liftoff.monitoring.checklist;

import io.liftoff.monitoring.checklist.api.ReleasesApi;

import org.springframework.cloud.openfeign.FeignClient;

/**
 * checklist-service's releases, as its contract defines them (generated from {@code checklist-service.yaml}). Reads
 * only: timeouts, retries on connection failures and the circuit breaker are configured under {@code checklist-read}.
 */
@FeignClient(name = "checklist-read", url = "${liftoff.checklist.url}", fallbackFactory = ChecklistFallbacks.Reader.class)
public interface ChecklistReader extends ReleasesApi {
}
