package io.liftoff.checklist.markdown;

import io.liftoff.checklist.checklist.ContactSpec;
import io.liftoff.checklist.checklist.ContactSpec.ContactType;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a plain list line of the contacts part of a checklist into a {@link ContactSpec}.
 * <p>
 * The kind of contact comes from the title of the group heading the line is under: "on-call" → ON_CALL,
 * "escalation" → ESCALATION_LEVEL, "channel" or "communication" → CHANNEL. Under any other heading it is guessed
 * from the line: a {@code **Level N**} label is an escalation level, a known channel label (Slack, Email, Phone,
 * Status Page) a channel, anything else an on-call role.
 * <ul>
 * <li>ON_CALL {@code **Primary Release Manager**: [Name] - [Phone] - [Email]}: role = the label; name, phone and
 * email = the {@code " - "}-separated parts of the value, kept as written (placeholders included).</li>
 * <li>ESCALATION_LEVEL {@code **Level 1**: Release Manager + Engineering Lead}: level = N of "Level N" (else the
 * number of a numbered list marker); members = the value split on {@code +} and {@code ,}.</li>
 * <li>CHANNEL {@code **Slack**: #release-v1-1-0 (primary)}: channel from the label; a trailing parenthesised note
 * is split off, "(primary)" setting {@code primary}. The rest is the address when it looks like one (a single token,
 * a {@code [placeholder]}, or digits for a phone), otherwise it is free text kept as the note
 * ({@code **Phone**: Emergency escalation only}).</li>
 * </ul>
 */
public final class ContactLineParser {

    private static final Pattern LEVEL = Pattern.compile("(?i)(?<![\\p{L}\\p{N}])level\\s*(\\d{1,9})(?!\\d)");
    private static final Pattern NUMBERED_MARKER = Pattern.compile("(\\d{1,9})\\.");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern PHONE_NUMBER = Pattern.compile("\\+?[\\d\\s().-]+");

    /**
     * @param groupTitle the title of the heading the line is under
     * @param marker     the list marker as written ({@code -}, {@code 1.})
     * @param text       the line after its marker
     */
    public ContactSpec parse(String groupTitle, String marker, String text) {
        String label = ItemLabels.label(text).strip();
        String value = ItemLabels.value(text);
        return switch (typeOf(groupTitle, label)) {
            case ON_CALL -> onCall(label, value);
            case ESCALATION_LEVEL -> escalation(label, marker, value);
            case CHANNEL -> channel(label, value);
        };
    }

    private static ContactType typeOf(String groupTitle, String label) {
        String title = Slugs.plainWords(groupTitle);
        if (title.contains("on call") || title.contains("oncall")) {
            return ContactType.ON_CALL;
        }
        if (title.contains("escalation")) {
            return ContactType.ESCALATION_LEVEL;
        }
        if (title.contains("channel") || title.contains("communication")) {
            return ContactType.CHANNEL;
        }
        if (LEVEL.matcher(label).find()) {
            return ContactType.ESCALATION_LEVEL;
        }
        return channelOf(label).equals("OTHER") ? ContactType.ON_CALL : ContactType.CHANNEL;
    }

    private static ContactSpec onCall(String role, String value) {
        String[] parts = value.isEmpty() ? new String[0] : value.split(" - ", 3);
        return new ContactSpec(ContactType.ON_CALL, role, part(parts, 0), part(parts, 1), part(parts, 2), null, null,
                null, null, false, null);
    }

    private static ContactSpec escalation(String label, String marker, String value) {
        List<String> members = Arrays.stream(value.split("[+,]")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
        return new ContactSpec(ContactType.ESCALATION_LEVEL, null, null, null, null, level(label, marker), members,
                null, null, false, null);
    }

    private static ContactSpec channel(String label, String value) {
        String channel = channelOf(label);
        String note = trailingNote(value);
        String body = note == null ? value : value.substring(0, value.lastIndexOf('(')).strip();
        boolean primary = "primary".equalsIgnoreCase(note);
        if (looksLikeAddress(channel, body)) {
            return new ContactSpec(ContactType.CHANNEL, null, null, null, null, null, null, channel, body, primary,
                    primary ? null : note);
        }
        String freeText = primary ? body : value;
        return new ContactSpec(ContactType.CHANNEL, null, null, null, null, null, null, channel, null, primary,
                freeText.isEmpty() ? null : freeText);
    }

    /** SLACK, EMAIL, PHONE, STATUS_PAGE or OTHER, from a label such as "Slack" or "Status Page". */
    static String channelOf(String label) {
        String words = Slugs.plainWords(label);
        if (words.contains("slack")) {
            return "SLACK";
        }
        if (words.contains("status page") || words.contains("statuspage")) {
            return "STATUS_PAGE";
        }
        if (words.contains("mail")) {
            return "EMAIL";
        }
        return words.contains("phone") ? "PHONE" : "OTHER";
    }

    private static Integer level(String label, String marker) {
        Matcher m = LEVEL.matcher(label);
        if (m.find()) {
            return Integer.valueOf(m.group(1));
        }
        Matcher numbered = NUMBERED_MARKER.matcher(marker == null ? "" : marker);
        return numbered.matches() ? Integer.valueOf(numbered.group(1)) : null;
    }

    /** The text of a final {@code (...)} group, or null. */
    private static String trailingNote(String value) {
        int open = value.lastIndexOf('(');
        if (!value.endsWith(")") || open < 0 || value.indexOf(')', open) != value.length() - 1) {
            return null;
        }
        return value.substring(open + 1, value.length() - 1).strip();
    }

    private static boolean looksLikeAddress(String channel, String value) {
        if (value.isEmpty()) {
            return false;
        }
        if (PLACEHOLDER.matcher(value).matches()) {
            return true;
        }
        if (channel.equals("PHONE")) {
            return PHONE_NUMBER.matcher(value).matches() && value.chars().anyMatch(Character::isDigit);
        }
        return value.chars().noneMatch(Character::isWhitespace);
    }

    private static String part(String[] parts, int index) {
        if (index >= parts.length) {
            return null;
        }
        String part = parts[index].strip();
        return part.isEmpty() ? null : part;
    }
}
