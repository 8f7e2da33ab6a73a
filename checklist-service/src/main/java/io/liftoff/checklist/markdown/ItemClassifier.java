package io.liftoff.checklist.markdown;

import io.liftoff.checklist.checklist.Item;
import io.liftoff.checklist.checklist.ItemKind;
import io.liftoff.checklist.checklist.SignoffSpec;
import java.util.regex.Pattern;

/**
 * Decides what an item means. In order:
 * <ol>
 * <li>a list line without checkbox (only read under a contacts section) is a CONTACT;</li>
 * <li>under a sign-off section, a checkbox whose text starts with {@code **Role Title**} is a SIGNOFF (its
 * attestation children are ordinary items);</li>
 * <li>under a "Rollback Triggers" heading, every leaf item is a TRIGGER, with the target its text states or none
 * for a qualitative trigger; its group items fall through to the next rules;</li>
 * <li>an item whose text states a target ({@link MetricTextParser}) is a METRIC;</li>
 * <li>everything else is a TASK.</li>
 * </ol>
 */
final class ItemClassifier {

    private static final Pattern TEAM_LEAD = Pattern.compile("-team-lead(?=-|$)");

    private final MetricTextParser metrics = new MetricTextParser();
    private final ContactLineParser contacts = new ContactLineParser();

    Item classify(ItemDraft draft, boolean hasChildren) {
        SectionScope scope = draft.scope();
        if (!draft.checkbox()) {
            return draft.toItem(ItemKind.CONTACT, null, null,
                    contacts.parse(scope.title(), draft.marker(), draft.text()));
        }
        String bold = ItemLabels.leadingBold(draft.text());
        if (scope.isSignoff() && bold != null) {
            return draft.toItem(ItemKind.SIGNOFF, null, new SignoffSpec(role(bold), bold, scope.phase()), null);
        }
        if (scope.rollbackTriggers() && !hasChildren) {
            return draft.toItem(ItemKind.TRIGGER, metrics.parse(draft.text()).orElse(null), null, null);
        }
        return metrics.parse(draft.text())
                .map(target -> draft.toItem(ItemKind.METRIC, target, null, null))
                .orElseGet(() -> draft.toItem(ItemKind.TASK, null, null, null));
    }

    /** The realm role of a sign-off title: its slug, "-team-lead" shortened to "-lead" ("QA Team Lead" → qa-lead). */
    static String role(String title) {
        return TEAM_LEAD.matcher(Slugs.slug(title)).replaceAll("-lead");
    }
}
