package io.liftoff.monitoring.monitoring;

/** The thresholds of a release's checks changed (settings, a baseline found): caches of them are stale. */
public record ChecksChanged(String releaseId) {
}
