package io.liftoff.monitoring.monitoring;

import java.time.Instant;

/**
 * A checklist item change monitoring owes checklist-service (DONE after a passing window, BLOCKED after a failing
 * target). Kept in the monitoring document until checklist-service takes it, so a restart or an outage loses none.
 */
public class PendingItemUpdate {

    private String itemId;
    private String state;
    private String note;
    private String evidence;
    private int attempts;
    private Instant nextAttemptAt;

    PendingItemUpdate() {
    }

    PendingItemUpdate(String itemId, String state, String note, String evidence, Instant due) {
        this.itemId = itemId;
        this.state = state;
        this.note = note;
        this.evidence = evidence;
        this.nextAttemptAt = due;
    }

    void retryAt(Instant next) {
        attempts++;
        nextAttemptAt = next;
    }

    public String getItemId() {
        return itemId;
    }

    public String getState() {
        return state;
    }

    public String getNote() {
        return note;
    }

    public String getEvidence() {
        return evidence;
    }

    public int getAttempts() {
        return attempts;
    }

    public Instant getNextAttemptAt() {
        return nextAttemptAt;
    }
}
