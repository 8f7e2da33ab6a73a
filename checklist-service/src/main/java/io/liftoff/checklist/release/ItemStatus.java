package io.liftoff.checklist.release;

import java.time.Instant;

import io.liftoff.checklist.checklist.Item;
import io.liftoff.checklist.checklist.ItemState;

/** What changes of an item: its state, note and evidence, who and when. Stored in the release aggregate. */
public record ItemStatus(String id, ItemState state, String note, String evidence, String updatedBy,
        Instant updatedAt) {

    static ItemStatus of(Item item) {
        return new ItemStatus(item.id(), item.state(), item.note(), item.evidence(), item.updatedBy(),
                item.updatedAt());
    }
}
