package io.liftoff.notification.contact;

import java.util.List;
import java.util.Locale;

import io.liftoff.notification.channel.EmailAddresses;

/**
 * The effective contacts of a release: the checklist's CONTACT items, completed by the product's and then the
 * release's overrides.
 */
public record Contacts(String releaseId, String product, String version, Source source, List<Person> onCall,
        List<Level> levels, List<ChannelAddress> channels) {

    public enum Source {
        CHECKLIST, OVERRIDES_ONLY
    }

    public enum Origin {
        CHECKLIST, PRODUCT, RELEASE
    }

    public record Person(String role, String name, String email, String phone, Origin origin) {

        /** True when the person can be reached: a real e-mail address (not a placeholder such as "[Email]"). */
        public boolean complete() {
            return EmailAddresses.isValid(email) && (name == null || !isPlaceholder(name));
        }
    }

    public record Level(int level, List<Person> members, Origin origin) {
    }

    public record ChannelAddress(String channel, String address, boolean primary, String note) {
    }

    public int maxLevel() {
        return levels.stream().mapToInt(Level::level).max().orElse(0);
    }

    public Level level(int number) {
        return levels.stream().filter(l -> l.level() == number).findFirst().orElse(null);
    }

    /** The address of a channel (EMAIL, SLACK, STATUS_PAGE, ...), or null. */
    public String channelAddress(String channel) {
        return channels.stream().filter(c -> channel.equals(c.channel()) && c.address() != null)
                .map(ChannelAddress::address).findFirst().orElse(null);
    }

    static boolean isPlaceholder(String value) {
        String v = value.strip();
        return v.isEmpty() || (v.startsWith("[") && v.endsWith("]")) || v.chars().allMatch(ch -> ch == '_');
    }

    static String normalize(String role) {
        return role == null ? "" : role.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }
}
