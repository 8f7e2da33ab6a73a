package io.liftoff.checklist.markdown;

/**
 * The text cannot be read as a checklist: it has no checkbox item, it is binary (contains NUL characters) or it has
 * more items than the parser accepts. {@link #line()} is the 1-based line at which the parser gave up and
 * {@link #reason()} a sentence fit to show to the person who supplied the document; {@link #getMessage()} combines
 * both.
 */
public class ChecklistParseException extends RuntimeException {

    private final int line;
    private final String reason;

    public ChecklistParseException(int line, String reason) {
        super("Line " + line + ": " + reason);
        this.line = line;
        this.reason = reason;
    }

    /** The 1-based line number at which the document was refused. */
    public int line() {
        return line;
    }

    /** Why the document was refused, without the line number. */
    public String reason() {
        return reason;
    }
}
