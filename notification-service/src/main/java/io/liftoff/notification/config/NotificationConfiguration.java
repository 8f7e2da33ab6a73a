package io.liftoff.notification.config;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import io.liftoff.common.store.PartialIndexes;
import io.liftoff.notification.channel.ChannelDoc;
import io.liftoff.notification.delivery.DeliveryDoc;
import io.liftoff.notification.delivery.DeliveryDoc.DeliveryState;
import io.liftoff.notification.notification.NotificationDoc;
import io.liftoff.notification.routing.EscalationDoc;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.index.IndexOperations;

@Configuration
@EnableConfigurationProperties(NotificationProperties.class)
class NotificationConfiguration {

    /**
     * The indexes the code relies on, created explicitly (auto-index creation is off in Boot 4). A notification's
     * {@code _id} is its event's {@code eventId}, so the {@code _id} index alone makes intake idempotent. The partial indexes hold only the work still to do (unrouted
     * notifications, pending deliveries, running escalations): the periodic scans for lost work read just those, in
     * a real MongoDB and in the embedded store alike, which otherwise reads the whole collection under its lock
     * ({@code PartialIndex}). The other indexes serve a real MongoDB only.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ApplicationRunner notificationIndexes(MongoTemplate mongo) {
        return args -> {
            IndexOperations notifications = mongo.indexOps(NotificationDoc.class);
            dropIfPresent(notifications, LEGACY_EVENT_ID_INDEX);
            notifications.createIndex(new Index().on("product", Sort.Direction.ASC)
                    .on("receivedAt", Sort.Direction.DESC).named("product_received"));
            PartialIndexes.ensure(mongo, mongo.getCollectionName(NotificationDoc.class), "unrouted",
                    Indexes.ascending("receivedAt"), Filters.eq("routed", false));
            IndexOperations deliveries = mongo.indexOps(DeliveryDoc.class);
            deliveries.createIndex(new Index().on("notificationId", Sort.Direction.ASC).named("notification"));
            dropIfPresent(deliveries, LEGACY_DUE_INDEX);
            PartialIndexes.ensure(mongo, mongo.getCollectionName(DeliveryDoc.class), "pending_due",
                    Indexes.ascending("nextAttemptAt"), Filters.eq("status", DeliveryState.PENDING.name()));
            PartialIndexes.ensure(mongo, mongo.getCollectionName(EscalationDoc.class), "active_due",
                    Indexes.ascending("nextAt"), Filters.eq("active", true));
            mongo.indexOps(ChannelDoc.class).createIndex(new Index().on("product", Sort.Direction.ASC)
                    .named("product"));
        };
    }

    /**
     * Builds before kept a unique index on {@code eventId} as well, the same key as {@code _id}: every intake paid
     * twice for one guarantee.
     */
    static final String LEGACY_EVENT_ID_INDEX = "event_id_unique";

    /** Builds before the partial {@code pending_due} kept every delivery in a compound index of this name. */
    static final String LEGACY_DUE_INDEX = "due";

    private static void dropIfPresent(IndexOperations indexes, String name) {
        if (indexes.getIndexInfo().stream().anyMatch(index -> index.getName().equals(name))) {
            indexes.dropIndex(name);
        }
    }
}
