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

    /** The summary after one checkbox item moved from its current state to {@code to}. */
    public ProgressSummary with(Item item, ItemState to) {
        if (!item.checkbox()) {
            return this;
        }
        ProgressSummary without = add(item.state(), -1);
        return without.add(to, 1);
    }

    private ProgressSummary add(ItemState state, int sign) {
        if (state == ItemState.NOT_APPLICABLE) {
            return this;
        }
        return new ProgressSummary(done + (state == ItemState.DONE ? sign : 0), applicable + sign,
                blocked + (state == ItemState.BLOCKED ? sign : 0));
    }

    public double percent() {
        return applicable == 0 ? 100.0 : Math.round(done * 1000.0 / applicable) / 10.0;
    }
}
