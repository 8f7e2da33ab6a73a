package io.liftoff.checklist.checklist;

/** The state of a checklist item; in Markdown: {@code [ ]}, {@code [x]}, {@code [-]} and {@code [!]}. */
public enum ItemState {
    OPEN(' '), DONE('x'), NOT_APPLICABLE('-'), BLOCKED('!');

    private final char mark;

    ItemState(char mark) {
        this.mark = mark;
    }

    public char mark() {
        return mark;
    }

    /** The state a checkbox mark stands for, or {@code null} when the character is no checkbox mark. */
    public static ItemState ofMark(char mark) {
        return switch (mark) {
            case ' ' -> OPEN;
            case 'x', 'X' -> DONE;
            case '-', '~' -> NOT_APPLICABLE;
            case '!' -> BLOCKED;
            default -> null;
        };
    }
}
