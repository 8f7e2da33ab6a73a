package io.liftoff.notification.event;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The platform's event types (DESIGN.md section 7), each with its default severity. */
public enum EventType {

    RELEASE_CREATED("release.created", Severity.INFO),
    ITEM_UPDATED("item.updated", Severity.INFO),
    RELEASE_TRANSITIONED("release.transitioned", Severity.INFO),
    SIGNOFF_RECORDED("signoff.recorded", Severity.INFO),
    SIGNOFF_REVOKED("signoff.revoked", Severity.WARNING),
    GATE_CLEARED("gate.cleared", Severity.INFO),
    METRIC_BREACHED("metric.breached", Severity.HIGH),
    ROLLBACK_TRIGGERED("rollback.triggered", Severity.CRITICAL);

    private final String wireName;
    private final Severity defaultSeverity;

    EventType(String wireName, Severity defaultSeverity) {
        this.wireName = wireName;
        this.defaultSeverity = defaultSeverity;
    }

    public String wireName() {
        return wireName;
    }

    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    public static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(EventType::wireName).toList();
    }
}
