package io.liftoff.checklist.release;

import java.time.Instant;

import io.liftoff.checklist.checklist.ItemState;

/** One change of an item, kept forever in the release's history. */
public record ItemChange(String itemId, ItemState fromState, ItemState toState, String note, String evidence,
        String by, Instant at, long revision) {
}
