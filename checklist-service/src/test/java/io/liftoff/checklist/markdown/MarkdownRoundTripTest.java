package io.liftoff.checklist.markdown;

import static io.liftoff.checklist.markdown.ChecklistFixture.itemByKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.liftoff.checklist.checklist.Checklist;
import io.liftoff.checklist.checklist.Item;
import io.liftoff.checklist.checklist.ItemState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MarkdownRoundTripTest {

    private final MarkdownChecklistParser parser = new MarkdownChecklistParser();
    private final MarkdownChecklistExporter exporter = new MarkdownChecklistExporter();
    private final String fixture = ChecklistFixture.markdown();

    /** Item key → the state it is given in the modification tests. */
    private static final Map<String, ItemState> CHANGES = Map.of(
            "release-deployment/environment-preparation/staging-environment/deploy-to-staging-environment",
            ItemState.DONE,
            "release-deployment/environment-preparation/production-environment/coordinate-maintenance-window-if-needed",
            ItemState.NOT_APPLICABLE,
            "rollback-plan/rollback-triggers/critical-system-issues/api-error-rate", ItemState.BLOCKED,
            "pre-release-preparation/code-quality-testing/all-tests-passing/python-test-suite", ItemState.OPEN,
            "release-sign-off/pre-release-approvals/qa-team-lead", ItemState.DONE);

    @Test
    void exportsTheUntouchedFixtureByteForByte() {
        String exported = exporter.export(parser.parse(fixture));
        assertThat(exported.getBytes(StandardCharsets.UTF_8)).isEqualTo(fixture.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void preservesATrailingNewline() {
        String withNewline = fixture + "\n";
        assertThat(exporter.export(parser.parse(withNewline))).isEqualTo(withNewline);
    }

    @Test
    void exportsWindowsLineEndingsAsUnixLineEndings() {
        String crlf = fixture.replace("\n", "\r\n") + "\r\n";
        assertThat(exporter.export(parser.parse(crlf))).isEqualTo(fixture + "\n");
    }

    @Test
    void changesOnlyTheMarksOfItemsWhoseStateChanged() {
        Checklist original = parser.parse(fixture);
        String[] before = fixture.split("\n", -1);
        String[] after = exporter.export(withChanges(original)).split("\n", -1);

        assertThat(after).hasSameSizeAs(before);
        List<Integer> changedLines = IntStream.range(0, before.length).filter(i -> !before[i].equals(after[i]))
                .boxed().toList();
        assertThat(changedLines).hasSize(CHANGES.size());
        for (int line : changedLines) {
            int mark = before[line].indexOf('[') + 1;
            assertThat(after[line].substring(0, mark)).isEqualTo(before[line].substring(0, mark));
            assertThat(after[line].substring(mark + 1)).isEqualTo(before[line].substring(mark + 1));
        }
        assertThat(after[12]).isEqualTo("  - [ ] Python test suite: 95%+ pass rate (568 fixes applied)");
        assertThat(after[167]).isEqualTo("  - [!] API error rate >1%");
        assertThat(after[81]).isEqualTo("  - [-] Coordinate maintenance window (if needed)");
    }

    @Test
    void reimportsAnExportedModifiedChecklistToTheSameItems() {
        Checklist modified = withChanges(parser.parse(fixture));
        Checklist reimported = parser.parse(exporter.export(modified));

        assertThat(reimported.items()).containsExactlyElementsOf(
                modified.items().stream().map(MarkdownRoundTripTest::withoutRecord).toList());
        assertThat(reimported.sections()).isEqualTo(modified.sections());
        assertThat(reimported.metadata()).isEqualTo(modified.metadata());
        assertThat(reimported.lines()).isEqualTo(modified.lines());
        CHANGES.forEach((key, state) -> assertThat(itemByKey(reimported, key).state()).isEqualTo(state));
    }

    @Test
    void exportsChangedMetadataValues() {
        Checklist checklist = parser.parse(fixture);
        Map<String, String> metadata = new LinkedHashMap<>(checklist.metadata());
        metadata.put("Release Version", "1.2.0");
        Checklist changed = new Checklist(checklist.title(), checklist.lines(), checklist.sections(),
                checklist.items(), metadata);

        String exported = exporter.export(changed);

        assertThat(exported.split("\n")[1]).isEqualTo("**Release Version**: 1.2.0");
        assertThat(exported).isEqualTo(fixture.replace("**Release Version**: 1.1.0", "**Release Version**: 1.2.0"));
    }

    @Test
    void writesNormalisedMarksAndSpacing() {
        String md = "- [X] upper\n-   [~] spaced\n- [ ]\ttabbed";
        assertThat(exporter.export(parser.parse(md))).isEqualTo("- [x] upper\n- [-] spaced\n- [ ] tabbed");
    }

    @Test
    void leavesOutLinesOfRemovedItems() {
        Checklist checklist = parser.parse("- [ ] keep\n- [ ] drop\ntext");
        Checklist without = new Checklist(checklist.title(), checklist.lines(), checklist.sections(),
                checklist.items().subList(0, 1), checklist.metadata());
        assertThat(exporter.export(without)).isEqualTo("- [ ] keep\ntext");
    }

    private static Checklist withChanges(Checklist checklist) {
        Set<String> keys = CHANGES.keySet();
        List<Item> items = new ArrayList<>();
        for (Item item : checklist.items()) {
            items.add(keys.contains(item.key())
                    ? item.withState(CHANGES.get(item.key()), "note", "https://ci/run/1", "alice", Instant.EPOCH)
                    : item);
        }
        return new Checklist(checklist.title(), checklist.lines(), checklist.sections(), items,
                checklist.metadata());
    }

    /** The item as Markdown can carry it: without note, evidence and who changed it when. */
    private static Item withoutRecord(Item item) {
        return item.withState(item.state(), null, null, null, null);
    }
}
