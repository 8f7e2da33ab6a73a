package io.liftoff.checklist.release;

import java.util.List;

/** A change the release's rules refuse; the web edge turns each kind into its problem type. */
public class ReleaseRuleViolation extends RuntimeException {

    public enum Kind {
        ITEM_NOT_FOUND, ITEM_NOT_CHECKABLE, RELEASE_CLOSED, TRANSITION_REFUSED
    }

    private final Kind kind;
    private final List<String> reasons;

    public ReleaseRuleViolation(Kind kind, String message) {
        this(kind, message, List.of());
    }

    public ReleaseRuleViolation(Kind kind, String message, List<String> reasons) {
        super(message);
        this.kind = kind;
        this.reasons = List.copyOf(reasons);
    }

    public Kind kind() {
        return kind;
    }

    public List<String> reasons() {
        return reasons;
    }
}
