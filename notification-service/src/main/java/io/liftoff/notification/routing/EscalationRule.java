package io.liftoff.notification.routing;

import java.time.Duration;
import java.util.List;

import io.liftoff.notification.event.Severity;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * Which escalation levels an event reaches, and how.
 *
 * @param eventType      the event type the rule is for
 * @param severity       the severity it is for; any when null (a rule naming the severity wins)
 * @param startLevel     the level notified at once; 0 = no level, the broadcast channels only
 * @param escalate       whether an unacknowledged notification goes on to the next level after {@code delay}
 * @param delay          the wait for an acknowledgement; the configured default when null
 * @param afterLastLevel STOP, or REPEAT the chain from {@code startLevel}
 * @param maxRounds      with REPEAT, how many times the chain runs at most
 */
public record EscalationRule(@NotBlank String eventType, Severity severity, @Min(0) @Max(9) int startLevel,
        boolean escalate, Duration delay, AfterLastLevel afterLastLevel, @Min(1) Integer maxRounds) {

    public enum AfterLastLevel {
        STOP, REPEAT
    }

    public AfterLastLevel afterLast() {
        return afterLastLevel == null ? AfterLastLevel.STOP : afterLastLevel;
    }

    public int rounds() {
        return maxRounds == null ? 3 : maxRounds;
    }

    public boolean matches(String type, Severity actual) {
        return eventType.equals(type) && (severity == null || severity == actual);
    }

    /** The rules that apply when none are configured. */
    static List<EscalationRule> builtIn() {
        return List.of(
                new EscalationRule("rollback.triggered", null, 1, true, null, AfterLastLevel.STOP, null),
                new EscalationRule("metric.breached", Severity.CRITICAL, 1, true, null, AfterLastLevel.STOP, null),
                new EscalationRule("metric.breached", null, 1, false, null, null, null),
                new EscalationRule("signoff.revoked", null, 1, false, null, null, null));
    }
}
