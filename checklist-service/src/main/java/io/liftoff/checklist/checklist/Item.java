package io.liftoff.checklist.checklist;

import java.time.Instant;

/**
 * One line of the checklist that can be ticked (a checkbox line) or that names a contact (a plain list line under
 * the contacts part). Immutable: a change produces a new item with {@link #withState}.
 *
 * @param id         short stable identifier, unique within the checklist, safe in a URL path
 * @param key        stable slug path, e.g. {@code pre-release-preparation/code-quality-testing/all-tests-passing}
 * @param parentId   the enclosing item, null for top-level items of a section
 * @param depth      nesting depth below the section (0 = top level)
 * @param text       the original line without indentation, list marker and checkbox
 * @param checkbox   whether the line is a checkbox ({@code false} for contact list lines)
 * @param indent     the leading whitespace of the line as written
 * @param marker     the list marker as written: {@code -}, {@code *}, {@code +} or {@code 1.}
 * @param sectionKey the key of the innermost heading above the item
 */
public record Item(String id, String key, String parentId, int depth, String text, ItemKind kind, ItemState state,
        boolean checkbox, String indent, String marker, String sectionKey, Phase phase, MetricTarget target,
        SignoffSpec signoff, ContactSpec contact, String note, String evidence, String updatedBy,
        Instant updatedAt) {

    public Item withState(ItemState newState, String newNote, String newEvidence, String by, Instant at) {
        return new Item(id, key, parentId, depth, text, kind, newState, checkbox, indent, marker, sectionKey, phase,
                target, signoff, contact, newNote, newEvidence, by, at);
    }

    /** The same item, reset to OPEN with nothing recorded (a template instantiated as a new release). */
    public Item reset() {
        return new Item(id, key, parentId, depth, text, kind, ItemState.OPEN, checkbox, indent, marker, sectionKey,
                phase, target, signoff, contact, null, null, null, null);
    }
}
