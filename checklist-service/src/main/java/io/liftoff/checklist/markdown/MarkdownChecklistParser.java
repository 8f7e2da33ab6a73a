package io.liftoff.checklist.markdown;

import io.liftoff.checklist.checklist.Checklist;

/**
 * Reads a release checklist written in Markdown (see {@code release-checklist-v1.1.0.md}) into a {@link Checklist}
 * that {@link MarkdownChecklistExporter} writes back unchanged.
 * <p>
 * The text is normalised first: {@code \r\n} becomes {@code \n} and a leading byte-order mark is dropped. Every
 * line, including a final empty line after a trailing newline, is kept in {@link Checklist#lines()}. See
 * {@link ChecklistAssembler} for how lines become sections, fields and items, {@link ItemClassifier} for item kinds,
 * and {@link Identifiers} for keys and ids.
 * <p>
 * The parser is stateless and thread-safe; it works in time linear in the size of the text. For any string it
 * either returns a checklist or throws {@link ChecklistParseException}.
 */
public final class MarkdownChecklistParser {

    /** The number of items a checklist may have unless the constructor says otherwise. */
    public static final int DEFAULT_MAX_ITEMS = 5000;

    private final int maxItems;

    public MarkdownChecklistParser() {
        this(DEFAULT_MAX_ITEMS);
    }

    /** @param maxItems the most items (checkbox and contact lines) a document may have; at least 1 */
    public MarkdownChecklistParser(int maxItems) {
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be at least 1, was " + maxItems);
        }
        this.maxItems = maxItems;
    }

    /**
     * @throws ChecklistParseException when the text contains a NUL character (binary data), has more than
     *                                 {@code maxItems} items (at the line of the first item too many) or has no
     *                                 checkbox item at all (at its last line); null reads as an empty text
     */
    public Checklist parse(String markdown) {
        String text = normalise(markdown);
        rejectBinary(text);
        String[] lines = text.split("\n", -1);
        ChecklistAssembler assembler = new ChecklistAssembler(maxItems);
        for (int i = 0; i < lines.length; i++) {
            assembler.accept(i + 1, lines[i]);
        }
        return assembler.finish(lines.length);
    }

    private static String normalise(String markdown) {
        if (markdown == null) {
            return "";
        }
        String text = markdown.startsWith("\uFEFF") ? markdown.substring(1) : markdown;
        return text.replace("\r\n", "\n");
    }

    private static void rejectBinary(String text) {
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            int line = 1 + (int) text.substring(0, nul).chars().filter(c -> c == '\n').count();
            throw new ChecklistParseException(line, "the file is binary, not Markdown text (it contains NUL bytes)");
        }
    }
}
