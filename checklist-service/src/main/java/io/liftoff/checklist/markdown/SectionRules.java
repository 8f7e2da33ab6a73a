package io.liftoff.checklist.markdown;

import io.liftoff.checklist.checklist.Phase;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What heading titles mean. Titles are compared by their lower-case words ({@link Slugs#plainWords}), so
 * "Sign-off", "Sign off" and "SIGN-OFF" read the same and emoji do not matter.
 */
final class SectionRules {

    private static final Pattern WINDOW = Pattern.compile(
            "(?i)(?<![\\p{L}\\p{N}])first\\s+(?:(\\d{1,6})\\s+)?(minute|min|hour|hr|day|week)s?(?![\\p{L}\\p{N}])");

    private SectionRules() {
    }

    /**
     * The phase of a top-level section, from its title. The first matching rule wins: "lessons" or "next step" →
     * GENERAL; "pre-release" → PRE_RELEASE; "deploy" → DEPLOYMENT; a sign-off title → PRE_RELEASE (its
     * post-release subsections are refined by {@link #subsectionPhase}); "monitoring" or "success metric" →
     * POST_RELEASE; "rollback" → ROLLBACK; anything else (contacts, escalation, ...) → GENERAL.
     */
    static Phase topLevelPhase(String title) {
        String t = words(title);
        if (t.contains("lessons") || t.contains("next step")) {
            return Phase.GENERAL;
        }
        if (t.contains("pre release") || t.contains("prerelease")) {
            return Phase.PRE_RELEASE;
        }
        if (t.contains("deploy")) {
            return Phase.DEPLOYMENT;
        }
        if (isSignoff(title)) {
            return Phase.PRE_RELEASE;
        }
        if (t.contains("monitoring") || t.contains("success metric")) {
            return Phase.POST_RELEASE;
        }
        if (t.contains("rollback")) {
            return Phase.ROLLBACK;
        }
        return Phase.GENERAL;
    }

    /**
     * A subsection inherits its parent's phase, except under a sign-off section, where a subsection whose title
     * says "post-release" or "confirmation" is POST_RELEASE.
     */
    static Phase subsectionPhase(String title, String topLevelTitle, Phase parentPhase) {
        String t = words(title);
        if (isSignoff(topLevelTitle) && (t.contains("post release") || t.contains("confirmation"))) {
            return Phase.POST_RELEASE;
        }
        return parentPhase;
    }

    /** "(First 2 Hours)" → PT2H, "(First Week)" → P7D, "First 30 minutes" → PT30M; null without such words. */
    static Duration window(String title) {
        Matcher m = WINDOW.matcher(title);
        if (!m.find()) {
            return null;
        }
        long n = m.group(1) == null ? 1 : Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "minute", "min" -> Duration.ofMinutes(n);
            case "hour", "hr" -> Duration.ofHours(n);
            case "day" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    /** "Release Sign-off", "Approvals". */
    static boolean isSignoff(String topLevelTitle) {
        String t = words(topLevelTitle);
        return t.contains("sign off") || t.contains("signoff") || t.contains("approval");
    }

    /** "Emergency Contacts", "Escalation". */
    static boolean isContacts(String topLevelTitle) {
        String t = words(topLevelTitle);
        return t.contains("contact") || t.contains("escalation");
    }

    /** "Rollback Triggers". */
    static boolean isRollbackTriggers(String title) {
        return words(title).contains("rollback trigger");
    }

    private static String words(String title) {
        return Slugs.plainWords(title);
    }
}
