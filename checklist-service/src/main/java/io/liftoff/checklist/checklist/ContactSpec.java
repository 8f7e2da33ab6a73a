package io.liftoff.checklist.checklist;

import java.util.List;

/**
 * An on-call role, an escalation level or a communication channel named in the checklist.
 * <ul>
 * <li>ON_CALL: {@code role} ("Primary Release Manager"), {@code name}, {@code phone}, {@code email} (placeholders
 * such as "[Name]" are kept as written).</li>
 * <li>ESCALATION_LEVEL: {@code level} (1, 2, 3) and {@code members} ("Release Manager", "Engineering Lead").</li>
 * <li>CHANNEL: {@code channel} (SLACK, EMAIL, PHONE, STATUS_PAGE or OTHER), {@code address}
 * ("#release-v1-1-0", "releases@toolboxai.com"), {@code primary} when the text says "(primary)", {@code note}
 * for free text ("Emergency escalation only").</li>
 * </ul>
 */
public record ContactSpec(ContactType type, String role, String name, String phone, String email, Integer level,
        List<String> members, String channel, String address, boolean primary, String note) {

    public enum ContactType {
        ON_CALL, ESCALATION_LEVEL, CHANNEL
    }
}
