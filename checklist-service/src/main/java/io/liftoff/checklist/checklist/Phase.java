package io.liftoff.checklist.checklist;

/** The release phase a checklist section belongs to; gates and progress are computed per phase. */
public enum Phase {
    PRE_RELEASE, DEPLOYMENT, POST_RELEASE, ROLLBACK, GENERAL
}
