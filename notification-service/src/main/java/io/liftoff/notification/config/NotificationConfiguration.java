package io.liftoff.notification.config;

import io.liftoff.notification.channel.ChannelDoc;
import io.liftoff.notification.delivery.DeliveryDoc;
import io.liftoff.notification.notification.NotificationDoc;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;

@Configuration
@EnableConfigurationProperties(NotificationProperties.class)
class NotificationConfiguration {

    /**
     * The indexes the code relies on, created explicitly (auto-index creation is off in Boot 4). The unique index on
     * {@code eventId} makes intake idempotent; the others serve a real MongoDB (the embedded one ignores non-unique
     * secondary indexes).
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ApplicationRunner notificationIndexes(MongoTemplate mongo) {
        return args -> {
            mongo.indexOps(NotificationDoc.class).createIndex(new Index().on("eventId", Sort.Direction.ASC).unique()
                    .named("event_id_unique"));
            mongo.indexOps(NotificationDoc.class).createIndex(new Index().on("product", Sort.Direction.ASC)
                    .on("receivedAt", Sort.Direction.DESC).named("product_received"));
            mongo.indexOps(DeliveryDoc.class).createIndex(new Index().on("notificationId", Sort.Direction.ASC)
                    .named("notification"));
            mongo.indexOps(DeliveryDoc.class).createIndex(new Index().on("status", Sort.Direction.ASC)
                    .on("nextAttemptAt", Sort.Direction.ASC).named("due"));
            mongo.indexOps(ChannelDoc.class).createIndex(new Index().on("product", Sort.Direction.ASC)
                    .named("product"));
        };
    }
}
