package io.liftoff.notification.event;

import java.util.Locale;
import java.util.Optional;

/** How urgent a notification is: from the event's {@code data.severity} when given, else its type's default. */
public enum Severity {
    INFO, WARNING, HIGH, CRITICAL;

    public static Optional<Severity> parse(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        String name = value.toString().strip().toUpperCase(Locale.ROOT);
        return switch (name) {
            case "INFO", "LOW" -> Optional.of(INFO);
            case "WARNING", "WARN", "MEDIUM" -> Optional.of(WARNING);
            case "HIGH", "ERROR", "MAJOR" -> Optional.of(HIGH);
            case "CRITICAL", "PAGE", "FATAL" -> Optional.of(CRITICAL);
            default -> Optional.empty();
        };
    }
}
