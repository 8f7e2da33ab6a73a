package io.liftoff.checklist.markdown;

/**
 * Reads the label and value of an item text such as {@code **Level 1**: Release Manager + Engineering Lead} or
 * {@code Python test suite: 95%+ pass rate}.
 */
final class ItemLabels {

    private ItemLabels() {
    }

    /**
     * The bold part the text starts with ({@code **All Tests Passing**} → "All Tests Passing", a colon inside the bold
     * part is dropped), or null when the text does not start with {@code **...**}.
     */
    static String leadingBold(String text) {
        String t = text.stripLeading();
        if (!t.startsWith("**")) {
            return null;
        }
        int end = t.indexOf("**", 2);
        if (end < 0) {
            return null;
        }
        String bold = stripTrailingColon(t.substring(2, end).strip());
        return bold.isEmpty() ? null : bold;
    }

    /**
     * The name of the item: the leading bold part if there is one, else the text before the first {@code :}, else
     * the text before a comparator ({@code API error rate >1%} → "API error rate", so that a changed threshold keeps
     * the item's key), else the whole text.
     */
    static String label(String text) {
        String bold = leadingBold(text);
        if (bold != null) {
            return bold;
        }
        int colon = text.indexOf(':');
        if (colon >= 0) {
            return text.substring(0, colon);
        }
        int comparator = firstComparator(text);
        return comparator > 0 && !text.substring(0, comparator).isBlank() ? text.substring(0, comparator) : text;
    }

    private static int firstComparator(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '<' || c == '>' || c == '≤' || c == '≥') {
                return i;
            }
        }
        return -1;
    }

    /**
     * What follows the label, trimmed: the text after the leading bold part (without a following {@code :}), else
     * the text after the first {@code :}, else the empty string.
     */
    static String value(String text) {
        String t = text.strip();
        if (leadingBold(t) != null) {
            String rest = t.substring(t.indexOf("**", 2) + 2).strip();
            return rest.startsWith(":") ? rest.substring(1).strip() : rest;
        }
        int colon = t.indexOf(':');
        return colon >= 0 ? t.substring(colon + 1).strip() : "";
    }

    private static String stripTrailingColon(String s) {
        return s.endsWith(":") ? s.substring(0, s.length() - 1).strip() : s;
    }
}
