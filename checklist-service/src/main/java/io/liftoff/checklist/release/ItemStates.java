package io.liftoff.checklist.release;

import java.util.List;

import io.liftoff.checklist.checklist.Item;
import io.liftoff.checklist.checklist.ItemState;

/**
 * The states of a release's items as one string, one checkbox mark per item in layout order ({@code ' '} open,
 * {@code x} done, {@code -} not applicable, {@code !} blocked): the part of the release document every item change
 * rewrites stays a few hundred bytes, whatever the notes say.
 */
final class ItemStates {

    private ItemStates() {
    }

    static String of(List<Item> items) {
        StringBuilder marks = new StringBuilder(items.size());
        items.forEach(item -> marks.append(item.state().mark()));
        return marks.toString();
    }

    static ItemState at(String states, int index) {
        ItemState state = ItemState.ofMark(states.charAt(index));
        if (state == null) {
            throw new IllegalStateException("Unknown state mark '" + states.charAt(index) + "' at item " + index);
        }
        return state;
    }

    static String with(String states, int index, ItemState state) {
        char[] marks = states.toCharArray();
        marks[index] = state.mark();
        return new String(marks);
    }
}
