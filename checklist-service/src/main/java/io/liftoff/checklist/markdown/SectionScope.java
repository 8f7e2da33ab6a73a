package io.liftoff.checklist.markdown;

import io.liftoff.checklist.checklist.Phase;
import io.liftoff.checklist.checklist.Section;

/**
 * A section as the parser sees it while reading the lines below its heading: the section itself, the title of its
 * top-level ancestor (the {@code ##} heading, whose title decides sign-off and contact rules) and whether it lies
 * under a "Rollback Triggers" heading.
 */
record SectionScope(Section section, String topLevelTitle, boolean rollbackTriggers) {

    /** Before the first section heading. */
    static final SectionScope NONE = new SectionScope(null, "", false);

    static SectionScope of(Section section, SectionScope parent) {
        if (parent == null) {
            return new SectionScope(section, section.title(), SectionRules.isRollbackTriggers(section.title()));
        }
        return new SectionScope(section, parent.topLevelTitle(),
                parent.rollbackTriggers() || SectionRules.isRollbackTriggers(section.title()));
    }

    /** The section key, or null before the first section. */
    String key() {
        return section == null ? null : section.key();
    }

    String title() {
        return section == null ? "" : section.title();
    }

    int level() {
        return section == null ? 0 : section.level();
    }

    Phase phase() {
        return section == null ? Phase.GENERAL : section.phase();
    }

    boolean isSignoff() {
        return SectionRules.isSignoff(topLevelTitle);
    }

    boolean isContacts() {
        return SectionRules.isContacts(topLevelTitle);
    }
}
