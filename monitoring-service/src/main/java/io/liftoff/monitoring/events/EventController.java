package io.liftoff.monitoring.events;


import io.liftoff.common.security.Access;
import io.liftoff.monitoring.api.EventsApi;
import io.liftoff.monitoring.api.model.Event;
import io.liftoff.monitoring.monitoring.MonitoringService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.RestController;

/**
 * The platform's events, for the deployments that deliver checklist-service's events here: a release entering
 * MONITORING starts its monitoring. Starting is idempotent per release, so a repeated event changes nothing.
 */
@RestController
class EventController implements EventsApi {

    private static final Logger log = LoggerFactory.getLogger(EventController.class);

    private final MonitoringService monitoring;

    EventController(MonitoringService monitoring) {
        this.monitoring = monitoring;
    }

    @Override
    @PreAuthorize(Access.SERVICE)
    public ResponseEntity<Void> receiveEvent(Event event) {
        if ("release.transitioned".equals(event.getType()) && event.getReleaseId() != null
                && event.getData() != null
                && "MONITORING".equals(String.valueOf(event.getData().get("to")))) {
            boolean created = monitoring.start(null, event.getReleaseId()).created();
            log.info("Event {}: release {} entered MONITORING; monitoring {}", event.getEventId(),
                    event.getReleaseId(), created ? "started" : "already running");
        }
        return ResponseEntity.accepted().build();
    }
}
