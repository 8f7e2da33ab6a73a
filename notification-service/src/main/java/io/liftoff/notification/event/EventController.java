package io.liftoff.notification.event;

import java.util.List;
import java.util.Map;

import io.liftoff.common.security.Access;
import io.liftoff.notification.api.EventsApi;
import io.liftoff.notification.api.model.Event;
import io.liftoff.notification.api.model.EventBatch;
import io.liftoff.notification.api.model.EventBatchReceipt;
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
        EventIntake.Receipt receipt = intake.receive(envelope(event, "data"));
        return ResponseEntity.status(receipt.duplicate() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(receipt(receipt));
    }

    @Override
    @PreAuthorize(Access.SERVICE)
    public ResponseEntity<EventBatchReceipt> receiveEvents(EventBatch batch) {
        List<Event> events = batch.getEvents();
        List<EventIntake.Envelope> envelopes = new java.util.ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            envelopes.add(envelope(events.get(i), "events[" + i + "].data"));
        }
        List<EventIntake.Receipt> receipts = intake.receiveAll(envelopes);
        int duplicates = (int) receipts.stream().filter(EventIntake.Receipt::duplicate).count();
        return ResponseEntity.ok(new EventBatchReceipt().accepted(receipts.size() - duplicates).duplicates(duplicates)
                .receipts(receipts.stream().map(EventController::receipt).toList()));
    }

    private static EventIntake.Envelope envelope(Event event, String dataField) {
        Map<String, Object> data = event.getData();
        checkKeys(data, dataField);
        return new EventIntake.Envelope(event.getEventId(), event.getType(), event.getReleaseId(),
                event.getProduct(), event.getOccurredAt().toInstant(), event.getActor(), data);
    }

    private static EventReceipt receipt(EventIntake.Receipt receipt) {
        return new EventReceipt().eventId(receipt.eventId()).notificationId(receipt.notificationId())
                .duplicate(receipt.duplicate());
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
