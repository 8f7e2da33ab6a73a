package io.liftoff.notification.contact;

import java.util.List;
import java.util.Map;

/**
 * What notification-service needs of a release: its product and version, its items by id (for messages) and its
 * CONTACT items.
 */
public record ReleaseView(String id, String product, String version, String status, Map<String, ItemInfo> items,
        List<Contact> contacts) {

    public record ItemInfo(String key, String text, String kind) {
    }

    /** An on-call role, an escalation level or a channel, as the checklist writes it. */
    public record Contact(String type, String role, String name, String phone, String email, Integer level,
            List<String> members, String channel, String address, boolean primary, String note) {
    }

    /** The answer of a lookup: the release, or that it does not exist, or that checklist-service did not answer. */
    public record Lookup(Outcome outcome, ReleaseView release, String cause) {

        public enum Outcome {
            FOUND, NOT_FOUND, UNAVAILABLE
        }

        static Lookup found(ReleaseView release) {
            return new Lookup(Outcome.FOUND, release, null);
        }

        static Lookup notFound() {
            return new Lookup(Outcome.NOT_FOUND, null, null);
        }

        static Lookup unavailable(String cause) {
            return new Lookup(Outcome.UNAVAILABLE, null, cause);
        }
    }
}
