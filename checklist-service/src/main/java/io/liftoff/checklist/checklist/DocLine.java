package io.liftoff.checklist.checklist;

/**
 * One physical line of the original Markdown, in order, so that export gives the document back.
 * <ul>
 * <li>{@code TEXT}: any line kept verbatim in {@code raw} (headings, blank lines, rules, prose, footers).</li>
 * <li>{@code ITEM}: the line of item {@code ref} (an item id); rendered from the item's indent, marker, state, text.</li>
 * <li>{@code FIELD}: a metadata line {@code **name**: value}; {@code ref} is the field name, the value comes from the
 * checklist's metadata so that a release's own version appears in its export.</li>
 * </ul>
 */
public record DocLine(LineType type, String raw, String ref) {

    public enum LineType {
        TEXT, ITEM, FIELD
    }

    public static DocLine text(String raw) {
        return new DocLine(LineType.TEXT, raw, null);
    }

    public static DocLine item(String itemId) {
        return new DocLine(LineType.ITEM, null, itemId);
    }

    public static DocLine field(String name) {
        return new DocLine(LineType.FIELD, null, name);
    }
}
