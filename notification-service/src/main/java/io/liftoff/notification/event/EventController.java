package io.liftoff.notification.event;

import java.util.List;
import java.util.Map;

import io.liftoff.common.security.Access;
import io.liftoff.notification.api.EventsApi;
import io.liftoff.notification.api.model.Event;
import io.liftoff.notification.api.model.EventReceipt;
import io.liftoff.notification.config.NotificationProblems;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.RestController;

@RestController
class EventController implements EventsApi {

    private final EventIntake intake;

    EventController(EventIntake intake) {
        this.intake = intake;
    }

    @Override
    @PreAuthorize(Access.SERVICE)
    public ResponseEntity<EventReceipt> receiveEvent(Event event) {
        Map<String, Object> data = event.getData();
        checkKeys(data, "data");
        EventIntake.Receipt receipt = intake.receive(new EventIntake.Envelope(event.getEventId(), event.getType(),
                event.getReleaseId(), event.getProduct(), event.getOccurredAt().toInstant(), event.getActor(), data));
        return ResponseEntity.status(receipt.duplicate() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .body(new EventReceipt().eventId(receipt.eventId()).notificationId(receipt.notificationId())
                        .duplicate(receipt.duplicate()));
    }

    /** Field names the store cannot keep ({@code $...}, dotted) are refused, at any depth. */
    private static void checkKeys(Object value, String path) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                if (key.isEmpty() || key.startsWith("$") || key.contains(".")) {
                    throw NotificationProblems.badField(path,
                            "Field names in data may not be empty, start with '$' or contain '.': '" + key + "'");
                }
                checkKeys(entry.getValue(), path + "." + key);
            }
        }
        else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                checkKeys(list.get(i), path + "[" + i + "]");
            }
        }
    }
}
