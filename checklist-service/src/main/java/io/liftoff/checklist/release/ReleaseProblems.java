package io.liftoff.checklist.release;

import java.net.URI;

import io.liftoff.checklist.checklist.Checklist;
import io.liftoff.checklist.markdown.ChecklistParseException;
import io.liftoff.checklist.markdown.MarkdownChecklistParser;
import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;

/** Problem types of checklist-service beyond the shared ones; each is listed in the contract. */
public final class ReleaseProblems {

    public static final URI INVALID_MARKDOWN = ProblemTypes.of("invalid-markdown");
    public static final URI INVALID_VERSION = ProblemTypes.of("invalid-version");
    public static final URI DUPLICATE_RELEASE = ProblemTypes.of("duplicate-release");
    public static final URI TRANSITION_REFUSED = ProblemTypes.of("transition-refused");
    public static final URI ITEM_NOT_CHECKABLE = ProblemTypes.of("item-not-checkable");
    public static final URI RELEASE_CLOSED = ProblemTypes.of("release-closed");
    public static final URI NOT_YOUR_PRODUCT = ProblemTypes.of("not-your-product");

    private ReleaseProblems() {
    }

    /** Parses a checklist, refusing a document that is not one with 422 {@code invalid-markdown} and its line. */
    public static Checklist parse(MarkdownChecklistParser parser, String markdown) {
        try {
            return parser.parse(markdown == null ? "" : markdown);
        }
        catch (ChecklistParseException ex) {
            throw ProblemException.unprocessable(INVALID_MARKDOWN, "Invalid checklist", ex.getMessage())
                    .with("line", ex.line());
        }
    }
}
