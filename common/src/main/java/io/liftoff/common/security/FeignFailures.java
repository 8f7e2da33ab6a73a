package io.liftoff.common.security;

/** Why a call to another service failed, in words fit for a log line or a problem detail (no library internals). */
public final class FeignFailures {

    private FeignFailures() {
    }

    public static String describe(Throwable cause) {
        if (cause == null) {
            return "no answer";
        }
        String name = cause.getClass().getSimpleName();
        if (name.contains("CallNotPermitted")) {
            return "circuit breaker open";
        }
        if (name.contains("Timeout")) {
            return "timed out";
        }
        if (cause instanceof feign.FeignException feign && feign.status() > 0) {
            return "answered " + feign.status();
        }
        return name;
    }
}
