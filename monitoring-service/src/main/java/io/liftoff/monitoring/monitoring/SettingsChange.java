package io.liftoff.monitoring.monitoring;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** A change of a check's settings through the API; null fields stay as they are, {@code clear} resets to defaults. */
public record SettingsChange(Duration evaluationInterval, Duration initialDelay, Integer failureLimit,
        Integer inconclusiveLimit, Duration lookback, Duration sustainedFor, Duration baselinePeriod, Double baseline,
        String query, String queryUnit, List<String> alertNames, Set<String> clear) {
}
