package io.liftoff.checklist.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import io.liftoff.checklist.checklist.Checklist;
import io.liftoff.checklist.checklist.Item;
import io.liftoff.checklist.checklist.ItemKind;
import io.liftoff.checklist.checklist.ItemState;
import io.liftoff.checklist.markdown.ChecklistFixture;
import io.liftoff.checklist.markdown.MarkdownChecklistParser;
import org.junit.jupiter.api.Test;

/**
 * An item change works on the release joined lazily with its layout and keeps the progress by difference: after any
 * sequence of changes, the items, states and progress are exactly what the whole checklist recomputed gives.
 */
class ReleaseItemChangeTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void aLazilyJoinedReleaseChangesItemsExactlyAsTheWholeChecklistSays() {
        Checklist checklist = new MarkdownChecklistParser().parse(ChecklistFixture.markdown());
        Release opened = Release.open("r1", "toolboxai", "1.1.0", ReleaseType.MINOR, "1.0.0", null, checklist, null,
                null, "riley", NOW);
        ReleaseLayout layout = opened.layout();
        Release release = opened.copyForItemChange().attach(layout);
        List<Item> changeable = checklist.items().stream()
                .filter(item -> item.checkbox() && item.kind() != ItemKind.SIGNOFF).toList();
        Random random = new Random(7);
        ItemState[] states = ItemState.values();

        for (int change = 0; change < 500; change++) {
            Item target = changeable.get(random.nextInt(changeable.size()));
            ItemState to = states[random.nextInt(states.length)];
            Release.ItemUpdated updated = release.updateItem(target.id(), to, "n" + change, null, "eli", false,
                    NOW.plusSeconds(change));

            assertThat(updated.item().state()).isEqualTo(to);
            assertThat(release.item(target.id()).state()).isEqualTo(to);
            assertThat(release.getProgress()).isEqualTo(ProgressSummary.of(release.getItems()));
            // The next change starts from the stored form again, as the service does.
            release = release.copyForItemChange().attach(layout);
        }
        List<Item> items = release.getItems();
        assertThat(items).hasSize(checklist.items().size());
        for (int i = 0; i < items.size(); i++) {
            assertThat(items.get(i).id()).isEqualTo(checklist.items().get(i).id());
            assertThat(items.get(i).state()).isEqualTo(ItemStates.at(release.getStates(), i));
        }
    }

    @Test
    void aContactLineOrAnUnknownItemIsRefusedOnTheLazilyJoinedRelease() {
        Checklist checklist = new MarkdownChecklistParser().parse(ChecklistFixture.markdown());
        Release opened = Release.open("r1", "toolboxai", "1.1.0", ReleaseType.MINOR, "1.0.0", null, checklist, null,
                null, "riley", NOW);
        Release release = opened.copyForItemChange().attach(opened.layout());
        Item contact = checklist.items().stream().filter(item -> !item.checkbox()).findFirst().orElseThrow();

        assertThatThrownBy(() -> release.updateItem(contact.id(), ItemState.DONE, null,
                null, "eli", false, NOW)).isInstanceOf(ReleaseRuleViolation.class);
        assertThatThrownBy(() -> release.updateItem("no-such-item", ItemState.DONE,
                null, null, "eli", false, NOW)).isInstanceOf(ReleaseRuleViolation.class);
        assertThat(release.getProgress()).isEqualTo(ProgressSummary.of(checklist.items()));
    }
}
