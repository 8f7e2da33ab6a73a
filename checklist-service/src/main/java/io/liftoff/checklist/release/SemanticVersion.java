package io.liftoff.checklist.release;

import java.util.regex.Pattern;

/** Semantic Versioning 2.0.0 (semver.org), with an optional leading {@code v} tolerated and removed. */
public final class SemanticVersion {

    private static final Pattern SEMVER = Pattern.compile("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

    private SemanticVersion() {
    }

    /** The normalised version, or null when {@code text} is not a semantic version. */
    public static String normalise(String text) {
        if (text == null) {
            return null;
        }
        String candidate = text.trim();
        if (candidate.startsWith("v") || candidate.startsWith("V")) {
            candidate = candidate.substring(1);
        }
        return candidate.length() <= 64 && SEMVER.matcher(candidate).matches() ? candidate : null;
    }
}
