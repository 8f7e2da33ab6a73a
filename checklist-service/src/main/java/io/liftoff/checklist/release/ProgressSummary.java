package io.liftoff.checklist.release;

import java.util.Collection;

import io.liftoff.checklist.checklist.Item;
import io.liftoff.checklist.checklist.ItemState;

/**
 * Done and applicable checkbox items (applicable = not NOT_APPLICABLE), and blocked ones. Contact lines have no
 * checkbox and do not count.
 */
public record ProgressSummary(int done, int applicable, int blocked) {

    public static ProgressSummary of(Collection<Item> items) {
        int done = 0;
        int applicable = 0;
        int blocked = 0;
        for (Item item : items) {
            if (!item.checkbox() || item.state() == ItemState.NOT_APPLICABLE) {
                continue;
            }
            applicable++;
            if (item.state() == ItemState.DONE) {
                done++;
            }
            else if (item.state() == ItemState.BLOCKED) {
                blocked++;
            }
        }
        return new ProgressSummary(done, applicable, blocked);
    }

    public double percent() {
        return applicable == 0 ? 100.0 : Math.round(done * 1000.0 / applicable) / 10.0;
    }
}
