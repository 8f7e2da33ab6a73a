package io.liftoff.notification.notification;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.notification.config.ProductAccess;
import io.liftoff.notification.delivery.DeliveryDispatcher;
import io.liftoff.notification.delivery.DeliveryDoc;
import io.liftoff.notification.delivery.DeliveryDoc.ChannelKind;
import io.liftoff.notification.delivery.DeliveryDoc.DeliveryState;
import io.liftoff.notification.routing.EscalationDoc;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/** Reading notifications and deliveries, acknowledging, replaying dead letters. */
@Service
public class NotificationService {

    /** A notification with its deliveries and its escalation timer (null when it does not escalate). */
    public record View(NotificationDoc notification, List<DeliveryDoc> deliveries, EscalationDoc escalation) {
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    private final MongoTemplate mongo;
    private final DeliveryDispatcher dispatcher;
    private final Clock clock;

    public NotificationService(MongoTemplate mongo, DeliveryDispatcher dispatcher, Clock clock) {
        this.mongo = mongo;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    public View get(CurrentUser user, String id) {
        NotificationDoc n = visible(user, id);
        return view(n, deliveriesOf(List.of(id)).getOrDefault(id, List.of()));
    }

    public Page<View> list(CurrentUser user, String product, String releaseId, String eventType,
            DeliveryState status, ChannelKind channel, int page, int size) {
        Criteria criteria = scope(user, product);
        if (releaseId != null) {
            criteria = criteria.and("releaseId").is(releaseId);
        }
        if (eventType != null) {
            criteria = criteria.and("eventType").is(eventType);
        }
        if (status != null || channel != null) {
            Criteria byDelivery = scope(user, product);
            if (status != null) {
                byDelivery = byDelivery.and("status").is(status);
            }
            if (channel != null) {
                byDelivery = byDelivery.and("channel").is(channel);
            }
            Query deliveries = Query.query(byDelivery);
            deliveries.fields().include("notificationId");
            Set<String> ids = new LinkedHashSet<>();
            mongo.find(deliveries, DeliveryDoc.class).forEach(d -> ids.add(d.notificationId));
            criteria = criteria.and("_id").in(ids);
        }
        Query query = Query.query(criteria);
        long total = mongo.count(query, NotificationDoc.class);
        query.with(Sort.by(Sort.Direction.DESC, "receivedAt")).skip((long) page * size).limit(size);
        List<NotificationDoc> found = mongo.find(query, NotificationDoc.class);
        Map<String, List<DeliveryDoc>> deliveries = deliveriesOf(found.stream().map(n -> n.id).toList());
        return new Page<>(found.stream().map(n -> view(n, deliveries.getOrDefault(n.id, List.of()))).toList(), page,
                size, total);
    }

    public View acknowledge(CurrentUser user, String id, String note) {
        NotificationDoc n = visible(user, id);
        ProductAccess.requirePersonOf(user, n.product, "Notification", id);
        Instant now = clock.instant();
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("ackAt").is(null)),
                new Update().set("ackBy", user.name()).set("ackAt", now).set("ackNote", note), NotificationDoc.class);
        NotificationDoc acked = mongo.findById(id, NotificationDoc.class);
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id).and("active").is(true)),
                new Update().set("active", false).set("stoppedReason", "acknowledged by " + acked.ackBy),
                EscalationDoc.class);
        return view(acked, deliveriesOf(List.of(id)).getOrDefault(id, List.of()));
    }

    public Page<DeliveryDoc> deliveries(CurrentUser user, String product, String releaseId, DeliveryState status,
            ChannelKind channel, int page, int size) {
        Criteria criteria = scope(user, product);
        if (releaseId != null) {
            criteria = criteria.and("releaseId").is(releaseId);
        }
        if (status != null) {
            criteria = criteria.and("status").is(status);
        }
        if (channel != null) {
            criteria = criteria.and("channel").is(channel);
        }
        Query query = Query.query(criteria);
        long total = mongo.count(query, DeliveryDoc.class);
        query.with(Sort.by(Sort.Direction.DESC, "createdAt")).skip((long) page * size).limit(size);
        return new Page<>(mongo.find(query, DeliveryDoc.class), page, size, total);
    }

    public DeliveryDoc replay(CurrentUser user, String deliveryId) {
        DeliveryDoc delivery = mongo.findById(deliveryId, DeliveryDoc.class);
        if (delivery == null) {
            throw ProblemException.notFound("Delivery", deliveryId);
        }
        ProductAccess.requireWrite(user, delivery.product, "Delivery", deliveryId);
        var replayed = mongo.updateFirst(
                Query.query(Criteria.where("_id").is(deliveryId).and("status").is(DeliveryState.DEAD_LETTER)),
                new Update().set("status", DeliveryState.PENDING).set("tries", 0).set("nextAttemptAt", clock.instant())
                        .unset("leaseUntil").unset("leaseOwner"),
                DeliveryDoc.class);
        if (replayed.getMatchedCount() == 0) {
            throw ProblemException.conflict(ProblemTypes.CONFLICT, "Not a dead letter",
                    "Delivery '" + deliveryId + "' is " + delivery.status + "; only dead letters are replayed");
        }
        DeliveryDoc queued = mongo.findById(deliveryId, DeliveryDoc.class);
        dispatcher.enqueue(queued);
        return queued;
    }

    private NotificationDoc visible(CurrentUser user, String id) {
        NotificationDoc n = mongo.findById(id, NotificationDoc.class);
        if (n == null) {
            throw ProblemException.notFound("Notification", id);
        }
        ProductAccess.requireRead(user, n.product, "Notification", id);
        return n;
    }

    private Criteria scope(CurrentUser user, String product) {
        if (product != null) {
            ProductAccess.requireRead(user, product, "Product", product);
            return Criteria.where("product").is(product);
        }
        return user.readsAllProducts() ? new Criteria() : Criteria.where("product").in(user.products());
    }

    private Map<String, List<DeliveryDoc>> deliveriesOf(List<String> notificationIds) {
        Map<String, List<DeliveryDoc>> result = new LinkedHashMap<>();
        if (notificationIds.isEmpty()) {
            return result;
        }
        Query query = Query.query(Criteria.where("notificationId").in(notificationIds))
                .with(Sort.by("level", "createdAt"));
        for (DeliveryDoc d : mongo.find(query, DeliveryDoc.class)) {
            result.computeIfAbsent(d.notificationId, k -> new ArrayList<>()).add(d);
        }
        return result;
    }

    private View view(NotificationDoc n, List<DeliveryDoc> deliveries) {
        return new View(n, deliveries, mongo.findById(n.id, EscalationDoc.class));
    }
}
