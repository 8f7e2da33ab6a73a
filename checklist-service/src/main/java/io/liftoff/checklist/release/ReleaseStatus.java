package io.liftoff.checklist.release;

/** DESIGN.md section 3. */
public enum ReleaseStatus {
    DRAFT, PREPARING, READY, DEPLOYING, MONITORING, RELEASED, ROLLING_BACK, ROLLED_BACK, ABORTED;

    public boolean isClosed() {
        return this == RELEASED || this == ROLLED_BACK || this == ABORTED;
    }
}
