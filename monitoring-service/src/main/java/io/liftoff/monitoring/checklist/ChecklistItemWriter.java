package io.liftoff.monitoring.checklist;

import io.liftoff.monitoring.checklist.api.ItemsApi;

import org.springframework.cloud.openfeign.FeignClient;

/**
 * checklist-service's item updates. Never retried by Feign (a write): the caller re-reads the ETag and tries again
 * on 412, and keeps the update pending when checklist-service does not answer.
 */
@FeignClient(name = "checklist-write", url = "${liftoff.checklist.url}", fallbackFactory = ChecklistFallbacks.Writer.class)
public interface ChecklistItemWriter extends ItemsApi {
}
