package io.liftoff.checklist.gate;

import io.liftoff.checklist.signoff.api.GatesApi;

import org.springframework.cloud.openfeign.FeignClient;

/**
 * signoff-service's gate, as its contract defines it (the interface is generated from
 * {@code signoff-service.yaml}). Named circuit breaker, timeouts and retries are configured under
 * {@code signoff-gate} in application.yml; the fallback fails closed.
 */
@FeignClient(name = "signoff-gate", url = "${liftoff.signoff.url}", fallbackFactory = FailClosedGateFallback.class)
public interface SignoffGateClient extends GatesApi {
}
