package io.liftoff.checklist.release;

import java.time.Instant;

public record Transition(ReleaseStatus from, ReleaseStatus to, String by, Instant at, String reason) {
}
