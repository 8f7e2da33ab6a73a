package io.liftoff.checklist.markdown;

import io.liftoff.checklist.checklist.Checklist;
import io.liftoff.checklist.checklist.DocLine;
import io.liftoff.checklist.checklist.Item;
import io.liftoff.checklist.checklist.ItemState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a {@link Checklist} back as Markdown, one line per {@link DocLine}, joined by {@code \n}.
 * <ul>
 * <li>TEXT lines are written as they were read.</li>
 * <li>A checkbox item is written {@code indent + marker + " [" + mark + "] " + text}, so only its mark reflects
 * changes of state ({@code [X]} and {@code [~]} come back as {@code [x]} and {@code [-]}); a contact item is written
 * {@code indent + marker + " " + text}, as read.</li>
 * <li>A FIELD line is written {@code **name**: value} with the value from {@link Checklist#metadata()}.</li>
 * </ul>
 * A line whose item or metadata field is no longer in the checklist is left out. For a parsed document with
 * canonical spacing around its checkboxes the export is byte-for-byte the (newline-normalised) input.
 */
public final class MarkdownChecklistExporter {

    public String export(Checklist checklist) {
        Map<String, Item> itemsById = new HashMap<>();
        if (checklist.items() != null) {
            checklist.items().forEach(item -> itemsById.put(item.id(), item));
        }
        Map<String, String> metadata = checklist.metadata() == null ? Map.of() : checklist.metadata();
        List<String> out = new ArrayList<>();
        if (checklist.lines() != null) {
            for (DocLine line : checklist.lines()) {
                render(line, itemsById, metadata).ifPresent(out::add);
            }
        }
        return String.join("\n", out);
    }

    private static Optional<String> render(DocLine line, Map<String, Item> itemsById, Map<String, String> metadata) {
        return switch (line.type()) {
            case TEXT -> Optional.of(line.raw() == null ? "" : line.raw());
            case FIELD -> Optional.ofNullable(metadata.get(line.ref())).map(value -> field(line.ref(), value));
            case ITEM -> Optional.ofNullable(itemsById.get(line.ref())).map(MarkdownChecklistExporter::item);
        };
    }

    private static String field(String name, String value) {
        return "**" + name + "**: " + value;
    }

    private static String item(Item item) {
        String indent = item.indent() == null ? "" : item.indent();
        String marker = item.marker() == null ? "-" : item.marker();
        String text = item.text() == null ? "" : item.text();
        if (!item.checkbox()) {
            return indent + marker + " " + text;
        }
        ItemState state = item.state() == null ? ItemState.OPEN : item.state();
        return indent + marker + " [" + state.mark() + "] " + text;
    }
}
