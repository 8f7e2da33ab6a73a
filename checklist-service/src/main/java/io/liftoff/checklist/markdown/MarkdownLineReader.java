package io.liftoff.checklist.markdown;

import io.liftoff.checklist.checklist.ItemState;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies the lines of one document, in order. Stateful: lines inside a fenced code block ({@code ```} or
 * {@code ~~~}) are {@link MarkdownLine.Other}, so a checkbox shown as an example in a code block is no item.
 * <p>
 * A checkbox line may have any run of spaces or tabs between its marker and {@code [}, and needs one space or tab
 * after {@code ]}; the export writes single spaces. A list marker is {@code -}, {@code *}, {@code +} or a number of
 * up to nine digits followed by {@code .}.
 */
final class MarkdownLineReader {

    private static final String INDENT_AND_MARKER = "([ \\t]*)([-*+]|\\d{1,9}\\.)";
    private static final Pattern HEADING = Pattern.compile(" {0,3}(#{1,6})(?:[ \\t]+(.*))?", Pattern.DOTALL);
    private static final Pattern CHECKBOX =
            Pattern.compile(INDENT_AND_MARKER + "[ \\t]+\\[(.)\\][ \\t](.*)", Pattern.DOTALL);
    private static final Pattern LIST_ENTRY = Pattern.compile(INDENT_AND_MARKER + " (.*)", Pattern.DOTALL);
    private static final Pattern FIELD = Pattern.compile("\\*\\*([^*]+)\\*\\*: (.*)", Pattern.DOTALL);
    private static final Pattern FENCE = Pattern.compile(" {0,3}(`{3,}|~{3,})(.*)", Pattern.DOTALL);

    private static final MarkdownLine OTHER = new MarkdownLine.Other();

    /** The fence that opened the current code block ("```", "~~~~"), or null outside code blocks. */
    private String openFence;

    MarkdownLine read(String line) {
        if (togglesFence(line) || openFence != null) {
            return OTHER;
        }
        Matcher m = HEADING.matcher(line);
        if (m.matches()) {
            return heading(m);
        }
        m = CHECKBOX.matcher(line);
        if (m.matches()) {
            ItemState state = m.group(3).length() == 1 ? ItemState.ofMark(m.group(3).charAt(0)) : null;
            if (state != null) {
                return new MarkdownLine.Checkbox(m.group(1), m.group(2), state, m.group(4));
            }
        }
        m = LIST_ENTRY.matcher(line);
        if (m.matches()) {
            return new MarkdownLine.ListEntry(m.group(1), m.group(2), m.group(3));
        }
        m = FIELD.matcher(line);
        if (m.matches()) {
            return new MarkdownLine.Field(m.group(1), m.group(2));
        }
        return OTHER;
    }

    /** Opens or closes a fenced code block; true when this line is the fence itself. */
    private boolean togglesFence(String line) {
        Matcher m = FENCE.matcher(line);
        if (!m.matches()) {
            return false;
        }
        String fence = m.group(1);
        if (openFence == null) {
            openFence = fence;
            return true;
        }
        boolean closes = fence.charAt(0) == openFence.charAt(0) && fence.length() >= openFence.length()
                && m.group(2).isBlank();
        if (closes) {
            openFence = null;
        }
        return closes;
    }

    private static MarkdownLine heading(Matcher m) {
        String title = m.group(2) == null ? "" : m.group(2);
        return new MarkdownLine.Heading(m.group(1).length(), withoutClosingHashes(title.strip()));
    }

    /** {@code "Title ##"} → {@code "Title"}; a {@code #} glued to a word ({@code "C#"}) is part of the title. */
    private static String withoutClosingHashes(String title) {
        int start = title.length();
        while (start > 0 && title.charAt(start - 1) == '#') {
            start--;
        }
        if (start == title.length()) {
            return title;
        }
        if (start == 0) {
            return "";
        }
        char before = title.charAt(start - 1);
        return before == ' ' || before == '\t' ? title.substring(0, start).strip() : title;
    }
}
