package io.liftoff.checklist.markdown;

import io.liftoff.checklist.checklist.Checklist;
import io.liftoff.checklist.checklist.DocLine;
import io.liftoff.checklist.checklist.Item;
import io.liftoff.checklist.checklist.ItemState;
import io.liftoff.checklist.checklist.Phase;
import io.liftoff.checklist.checklist.Section;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds one {@link Checklist} from the lines of one document, fed in order (single use, not thread-safe).
 * <p>
 * Every line yields exactly one {@link DocLine}: headings, prose and blank lines are TEXT; checkbox lines, and list
 * lines under a contacts section, are ITEM lines; {@code **Name**: value} lines are FIELD lines (a repeated field
 * name stays TEXT so that the export cannot duplicate a value). The first {@code #} heading is the title; every
 * heading of level 2 or deeper opens a {@link Section} under the nearest heading of a lower level, and any heading
 * resets the item nesting.
 */
final class ChecklistAssembler {

    private final int maxItems;
    private final MarkdownLineReader reader = new MarkdownLineReader();
    private final Identifiers identifiers = new Identifiers();
    private final Nesting nesting = new Nesting();
    private final Deque<SectionScope> openSections = new ArrayDeque<>();

    private final List<DocLine> lines = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();
    private final List<ItemDraft> drafts = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private String title;
    private int checkboxes;

    ChecklistAssembler(int maxItems) {
        this.maxItems = maxItems;
    }

    void accept(int lineNumber, String raw) {
        MarkdownLine line = reader.read(raw);
        if (line instanceof MarkdownLine.Heading heading) {
            lines.add(DocLine.text(raw));
            openHeading(heading);
        } else if (line instanceof MarkdownLine.Checkbox box) {
            checkboxes++;
            addItem(lineNumber, box.indent(), box.marker(), box.state(), box.text(), true);
        } else if (line instanceof MarkdownLine.ListEntry entry && isContactLine(entry)) {
            addItem(lineNumber, entry.indent(), entry.marker(), ItemState.OPEN, entry.text(), false);
        } else if (line instanceof MarkdownLine.Field field && !metadata.containsKey(field.name())) {
            metadata.put(field.name(), field.value());
            lines.add(DocLine.field(field.name()));
        } else {
            lines.add(DocLine.text(raw));
        }
    }

    /** @throws ChecklistParseException when the document had no checkbox item */
    Checklist finish(int lastLine) {
        if (checkboxes == 0) {
            throw new ChecklistParseException(lastLine,
                    "no checklist found: the document has no checkbox item such as \"- [ ] Task\"");
        }
        Set<String> parents = new HashSet<>();
        drafts.forEach(d -> parents.add(d.parentId()));
        ItemClassifier classifier = new ItemClassifier();
        List<Item> items = drafts.stream().map(d -> classifier.classify(d, parents.contains(d.id()))).toList();
        return new Checklist(title, List.copyOf(lines), List.copyOf(sections), items, metadata);
    }

    private void openHeading(MarkdownLine.Heading heading) {
        nesting.reset();
        if (heading.level() == 1) {
            openSections.clear();
            if (title == null) {
                title = heading.title();
            }
            return;
        }
        while (!openSections.isEmpty() && openSections.peek().level() >= heading.level()) {
            openSections.pop();
        }
        SectionScope parent = openSections.peek();
        Section section = section(heading, parent);
        sections.add(section);
        openSections.push(SectionScope.of(section, parent));
    }

    private Section section(MarkdownLine.Heading heading, SectionScope parent) {
        String slug = Slugs.slugOr(heading.title(), "section");
        String key = identifiers.sectionKey(parent == null ? slug : parent.key() + "/" + slug);
        Phase phase = parent == null ? SectionRules.topLevelPhase(heading.title())
                : SectionRules.subsectionPhase(heading.title(), parent.topLevelTitle(), parent.phase());
        return new Section(key, heading.title(), heading.level(), parent == null ? null : parent.key(), phase,
                SectionRules.window(heading.title()));
    }

    private boolean isContactLine(MarkdownLine.ListEntry entry) {
        return currentScope().isContacts() && !entry.text().isBlank();
    }

    private void addItem(int lineNumber, String indent, String marker, ItemState state, String text,
            boolean checkbox) {
        if (drafts.size() >= maxItems) {
            throw new ChecklistParseException(lineNumber,
                    "too many checklist items: a checklist may have at most " + maxItems + " items");
        }
        SectionScope scope = currentScope();
        ItemDraft parent = nesting.parentFor(indent);
        String slug = Slugs.slugOr(ItemLabels.label(text), "item");
        String prefix = parent != null ? parent.key() : scope.key();
        String key = identifiers.itemKey(prefix == null ? slug : prefix + "/" + slug);
        ItemDraft draft = new ItemDraft(identifiers.itemId(key), key, parent == null ? null : parent.id(),
                parent == null ? 0 : parent.depth() + 1, text, state, checkbox, indent, marker, scope);
        nesting.push(indent, draft);
        drafts.add(draft);
        lines.add(DocLine.item(draft.id()));
    }

    private SectionScope currentScope() {
        return openSections.isEmpty() ? SectionScope.NONE : openSections.peek();
    }
}
