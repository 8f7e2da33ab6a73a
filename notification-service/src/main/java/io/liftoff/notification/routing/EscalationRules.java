package io.liftoff.notification.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.liftoff.notification.config.NotificationProperties;
import io.liftoff.notification.event.Severity;

import org.springframework.stereotype.Component;

/** Picks the rule of an event: configured rules first (one naming the severity before one for any), then built-ins. */
@Component
public class EscalationRules {

    private final List<EscalationRule> rules;
    private final Duration defaultDelay;

    public EscalationRules(NotificationProperties properties) {
        List<EscalationRule> all = new ArrayList<>(properties.escalation().rules());
        all.addAll(EscalationRule.builtIn());
        this.rules = List.copyOf(all);
        this.defaultDelay = properties.escalation().defaultDelay();
    }

    public EscalationRule ruleFor(String eventType, Severity severity) {
        return rules.stream().filter(r -> r.severity() != null && r.matches(eventType, severity)).findFirst()
                .or(() -> rules.stream().filter(r -> r.severity() == null && r.matches(eventType, severity))
                        .findFirst())
                .orElse(new EscalationRule(eventType, null, 0, false, null, null, null));
    }

    public Duration delayOf(EscalationRule rule) {
        return rule.delay() != null ? rule.delay() : defaultDelay;
    }
}
