package io.liftoff.checklist.markdown;

import java.text.Normalizer;

/**
 * Turns headings and labels into stable identifiers.
 * <p>
 * A slug is the lower-case words of a text joined by {@code -}: letters and digits (of any script; accents are
 * removed, so "Déploiement" gives "deploiement") are kept, apostrophes and {@code &} are dropped without leaving a
 * gap ("Q&A" → "qa", "What's new" → "whats-new"), and every other run of characters (spaces, punctuation, emoji)
 * becomes a single {@code -}. Leading and trailing separators are trimmed. A slug longer than
 * {@value #MAX_LENGTH} characters is cut at the last {@code -} within the limit (or hard at the limit when the
 * first word alone is longer).
 */
public final class Slugs {

    /** The longest slug {@link #slug} returns, in characters. */
    public static final int MAX_LENGTH = 60;

    private Slugs() {
    }

    /** {@code "✅ Code Quality & Testing"} → {@code "code-quality-testing"}; may be empty. */
    public static String slug(String text) {
        return truncate(words(text, '-'), MAX_LENGTH);
    }

    /** The {@link #slug} of the text, or {@code fallback} when the text has no letter or digit. */
    public static String slugOr(String text, String fallback) {
        String slug = slug(text);
        return slug.isEmpty() ? fallback : slug;
    }

    /** The same words as {@link #slug} joined by {@code _} and never truncated: "Error rate" → "error_rate". */
    public static String snake(String text) {
        return words(text, '_');
    }

    /** The same words as {@link #slug} joined by single spaces and never truncated: "Sign-off" → "sign off". */
    static String plainWords(String text) {
        return words(text, ' ');
    }

    private static String words(String text, char separator) {
        String decomposed = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        boolean gap = false;
        for (int i = 0; i < decomposed.length();) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            if (isDropped(cp)) {
                continue;
            }
            if (Character.isLetterOrDigit(cp)) {
                if (gap && out.length() > 0) {
                    out.append(separator);
                }
                out.appendCodePoint(Character.toLowerCase(cp));
                gap = false;
            } else {
                gap = true;
            }
        }
        return out.toString();
    }

    private static boolean isDropped(int cp) {
        return cp == '\'' || cp == '\u2019' || cp == '&' || Character.getType(cp) == Character.NON_SPACING_MARK;
    }

    private static String truncate(String slug, int max) {
        if (slug.codePointCount(0, slug.length()) <= max) {
            return slug;
        }
        int end = slug.offsetByCodePoints(0, max);
        if (slug.charAt(end) == '-') {
            return slug.substring(0, end);
        }
        int dash = slug.lastIndexOf('-', end - 1);
        return dash > 0 ? slug.substring(0, dash) : slug.substring(0, end);
    }
}
