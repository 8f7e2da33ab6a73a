package io.liftoff.notification.notification;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.liftoff.common.security.Access;
import io.liftoff.notification.api.DeliveriesApi;
import io.liftoff.notification.api.NotificationsApi;
import io.liftoff.notification.api.model.AckRequest;
import io.liftoff.notification.api.model.Acknowledgement;
import io.liftoff.notification.api.model.Attempt;
import io.liftoff.notification.api.model.ChannelType;
import io.liftoff.notification.api.model.Delivery;
import io.liftoff.notification.api.model.DeliveryPage;
import io.liftoff.notification.api.model.DeliveryStatus;
import io.liftoff.notification.api.model.Escalation;
import io.liftoff.notification.api.model.Notification;
import io.liftoff.notification.api.model.NotificationPage;
import io.liftoff.notification.api.model.Severity;
import io.liftoff.notification.config.ProductAccess;
import io.liftoff.notification.delivery.DeliveryDoc;
import io.liftoff.notification.routing.EscalationDoc;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.RestController;

@RestController
class NotificationController implements NotificationsApi, DeliveriesApi {

    private final NotificationService notifications;

    NotificationController(NotificationService notifications) {
        this.notifications = notifications;
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<NotificationPage> listNotifications(String product, String releaseId, String eventType,
            DeliveryStatus status, ChannelType channel, Integer page, Integer size) {
        NotificationService.Page<NotificationService.View> found = notifications.list(ProductAccess.user(), product,
                releaseId, eventType, status == null ? null : DeliveryDoc.DeliveryState.valueOf(status.name()),
                channel == null ? null : DeliveryDoc.ChannelKind.valueOf(channel.name()), page, size);
        return ResponseEntity.ok(new NotificationPage().items(found.items().stream().map(v -> toApi(v, false))
                .toList()).page(found.page()).size(found.size()).totalItems(found.total()));
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<Notification> getNotification(String notificationId) {
        return ResponseEntity.ok(toApi(notifications.get(ProductAccess.user(), notificationId), true));
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<Notification> acknowledgeNotification(String notificationId, AckRequest request) {
        return ResponseEntity.ok(toApi(notifications.acknowledge(ProductAccess.user(), notificationId,
                request == null ? null : request.getNote()), true));
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<DeliveryPage> listDeliveries(String product, String releaseId, DeliveryStatus status,
            ChannelType channel, Integer page, Integer size) {
        NotificationService.Page<DeliveryDoc> found = notifications.deliveries(ProductAccess.user(), product,
                releaseId, status == null ? null : DeliveryDoc.DeliveryState.valueOf(status.name()),
                channel == null ? null : DeliveryDoc.ChannelKind.valueOf(channel.name()), page, size);
        return ResponseEntity.ok(new DeliveryPage().items(found.items().stream().map(d -> toApi(d, true)).toList())
                .page(found.page()).size(found.size()).totalItems(found.total()));
    }

    @Override
    @PreAuthorize(Access.MANAGE)
    public ResponseEntity<Delivery> replayDelivery(String deliveryId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(toApi(notifications.replay(ProductAccess.user(), deliveryId), true));
    }

    private static Notification toApi(NotificationService.View view, boolean withLog) {
        NotificationDoc n = view.notification();
        Notification result = new Notification().id(n.id).eventId(n.eventId).eventType(n.eventType)
                .releaseId(n.releaseId).product(n.product).occurredAt(time(n.occurredAt))
                .receivedAt(time(n.receivedAt)).actor(n.actor).severity(Severity.valueOf(n.severity.name()))
                .title(n.title).text(n.text).routed(n.routed).contactsSource(n.contactsSource).data(n.data)
                .deliveries(view.deliveries().stream().map(d -> toApi(d, withLog)).toList());
        if (n.ackAt != null) {
            result.acknowledgement(new Acknowledgement().by(n.ackBy).at(time(n.ackAt)).note(n.ackNote));
        }
        EscalationDoc e = view.escalation();
        if (e != null) {
            result.escalation(new Escalation().active(e.active).level(e.level).maxLevel(e.maxLevel)
                    .nextAt(e.active ? time(e.nextAt) : null).delay(Duration.ofMillis(e.delayMillis).toString())
                    .afterLastLevel(Escalation.AfterLastLevelEnum.fromValue(e.afterLastLevel)).rounds(e.round));
        }
        return result;
    }

    static Delivery toApi(DeliveryDoc d, boolean withLog) {
        Delivery delivery = new Delivery().id(d.id).notificationId(d.notificationId).eventType(d.eventType)
                .releaseId(d.releaseId).product(d.product).channel(ChannelType.valueOf(d.channel.name()))
                .channelId(d.channelId).destination(d.destination).level(d.level)
                .status(DeliveryStatus.valueOf(d.status.name())).attemptCount(d.log == null ? 0 : d.log.size())
                .nextAttemptAt(d.status == DeliveryDoc.DeliveryState.PENDING ? time(d.nextAttemptAt) : null)
                .createdAt(time(d.createdAt)).deliveredAt(time(d.deliveredAt));
        if (withLog && d.log != null) {
            delivery.attempts(d.log.stream().map(a -> new Attempt().at(time(a.at()))
                    .outcome(Attempt.OutcomeEnum.fromValue(a.outcome())).statusCode(a.statusCode()).error(a.error())
                    .durationMs(a.durationMs())).toList());
        }
        return delivery;
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
