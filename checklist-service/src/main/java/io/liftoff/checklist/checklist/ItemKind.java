package io.liftoff.checklist.checklist;

/** What a checklist line means (DESIGN.md section 4). A line the parser does not understand stays a TASK. */
public enum ItemKind {
    TASK, METRIC, TRIGGER, SIGNOFF, CONTACT
}
