package io.liftoff.monitoring.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What monitoring needs of a release, as checklist-service gave it. */
public record ReleaseSnapshot(String id, String product, String version, String status, Instant deployedAt,
        List<WindowSpec> windows, List<ItemSpec> items) {

    /** A checklist section that names a monitoring window. */
    public record WindowSpec(String key, String title, Duration duration) {
    }

    /** A METRIC or TRIGGER item; {@code target} is null for a trigger the text gives no number for. */
    public record ItemSpec(String id, String key, String text, String kind, String section, Target target) {
    }

    public record Target(String metric, String comparator, double threshold, String unit, String aggregation,
            String relative) {
    }
}
