package io.liftoff.notification.config;

import java.net.URI;
import java.util.List;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;

import org.springframework.http.HttpStatus;

/** The problems of notification-service's own kinds (the shared ones come from {@link ProblemTypes}). */
public final class NotificationProblems {

    public static final URI UNKNOWN_EVENT_TYPE = ProblemTypes.of("unknown-event-type");
    public static final URI INVALID_EMAIL = ProblemTypes.of("invalid-email");
    public static final URI FORBIDDEN_ADDRESS = ProblemTypes.of("forbidden-address");
    public static final URI UNKNOWN_TEMPLATE_FIELD = ProblemTypes.of("unknown-template-field");

    private NotificationProblems() {
    }

    public static ProblemException unknownEventType(String type) {
        return unknownEventType(type, "type");
    }

    public static ProblemException unknownEventType(String type, String field) {
        return ProblemException.unprocessable(UNKNOWN_EVENT_TYPE, "Unknown event type",
                "Event type '" + type + "' is not one of " + io.liftoff.notification.event.EventType.wireNames())
                .with("field", field);
    }

    public static ProblemException invalidEmail(String field, String address) {
        return new ProblemException(HttpStatus.BAD_REQUEST, INVALID_EMAIL, "Invalid e-mail address",
                "'" + address + "' is not a deliverable e-mail address").with("field", field);
    }

    public static ProblemException forbiddenAddress(String field, String why) {
        return ProblemException.unprocessable(FORBIDDEN_ADDRESS, "Forbidden address",
                "The URL is not allowed: " + why).with("field", field);
    }

    public static ProblemException unknownTemplateFields(List<String> fields) {
        return ProblemException.unprocessable(UNKNOWN_TEMPLATE_FIELD, "Unknown template field",
                "The template uses fields this event type does not have: " + String.join(", ", fields))
                .with("fields", fields);
    }

    public static ProblemException badField(String field, String detail) {
        return ProblemException.badRequest(ProblemTypes.VALIDATION, "Validation failed", detail).with("field", field);
    }
}
