package io.liftoff.checklist.release;

import java.net.URI;

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
}
