package io.liftoff.monitoring.monitoring;

/** checklist-service as monitoring uses it. */
public interface ChecklistPort {

    /** The release; a {@code ProblemException} 404 when unknown, 503 when checklist-service cannot be read. */
    ReleaseSnapshot read(String releaseId);

    /** Sets an item's state with a note and an evidence link, re-reading the ETag on 412. */
    WriteOutcome setItemState(String releaseId, String itemId, String state, String note, String evidence);

    enum WriteOutcome {
        /** Taken (or already in that state). */
        DONE,
        /** checklist-service did not answer or kept changing under us: try again later. */
        RETRY,
        /** Refused for good (closed release, unknown item): do not try again. */
        REFUSED
    }
}
