package io.liftoff.checklist.release;

/** The release's revision as a strong ETag, and If-Match matching (RFC 9110: a list, weak tags, {@code *}). */
public final class ETags {

    private ETags() {
    }

    public static String of(long revision) {
        return "\"" + revision + "\"";
    }

    public static boolean matches(String ifMatch, long revision) {
        if (ifMatch == null) {
            return false;
        }
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(of(revision))) {
                return true;
            }
        }
        return false;
    }
}
