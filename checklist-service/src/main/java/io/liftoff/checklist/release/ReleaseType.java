package io.liftoff.checklist.release;

import java.util.Locale;

public enum ReleaseType {
    MAJOR, MINOR, PATCH, HOTFIX;

    /** Reads a header such as "Minor Release (Feature Update)"; null when no type word is in it. */
    public static ReleaseType fromText(String text) {
        if (text == null) {
            return null;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (ReleaseType type : values()) {
            if (lower.contains(type.name().toLowerCase(Locale.ROOT))) {
                return type;
            }
        }
        return null;
    }
}
