package io.liftoff.checklist.release;

import java.time.Instant;

/** What the last change of an item recorded besides its state: note, evidence, who and when, at which revision. */
public record ItemDetail(String note, String evidence, String by, Instant at, long revision) {
}
