package io.liftoff.checklist.markdown;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The chain of open items above the current line, by indentation. An item is the child of the nearest item above
 * it that is indented less; a heading {@link #reset}s the chain, blank lines and prose do not. Nesting deeper than
 * {@value #MAX_DEPTH} levels is flattened: such items become siblings at depth {@value #MAX_DEPTH}, which keeps keys
 * short for pathological input.
 */
final class Nesting {

    static final int MAX_DEPTH = 16;
    private static final int TAB_WIDTH = 4;

    private record Open(int width, ItemDraft item) {
    }

    private final Deque<Open> open = new ArrayDeque<>();

    /** The parent of an item with this indentation (null for a top-level item); the item must then be pushed. */
    ItemDraft parentFor(String indent) {
        int width = width(indent);
        while (!open.isEmpty() && open.peek().width() >= width) {
            open.pop();
        }
        while (open.size() > MAX_DEPTH) {
            open.pop();
        }
        return open.isEmpty() ? null : open.peek().item();
    }

    void push(String indent, ItemDraft item) {
        open.push(new Open(width(indent), item));
    }

    void reset() {
        open.clear();
    }

    /** Columns of the indentation, a tab advancing to the next multiple of four. */
    private static int width(String indent) {
        int column = 0;
        for (int i = 0; i < indent.length(); i++) {
            column = indent.charAt(i) == '\t' ? (column / TAB_WIDTH + 1) * TAB_WIDTH : column + 1;
        }
        return column;
    }
}
