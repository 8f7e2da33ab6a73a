package io.liftoff.checklist.checklist;

import java.time.Duration;

/**
 * A heading of the checklist. {@code key} is the slug path of the headings down to this one
 * ({@code pre-release-preparation/code-quality-testing}); {@code parentKey} is null for top-level sections;
 * {@code window} is the monitoring window the title names ("First 2 Hours" = PT2H, "First Week" = P7D), else null.
 */
public record Section(String key, String title, int level, String parentKey, Phase phase, Duration window) {
}
