package io.liftoff.signoff.config;

import io.liftoff.signoff.log.SignoffLog;
import io.liftoff.signoff.signing.SigningKeys;

import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;

/**
 * The indexes the code relies on, created at start-up (auto-index creation is off). The unique ones carry the
 * guarantees: a statement is logged once ({@code log_entries.signoffId}); one entry per index is the {@code _id}.
 * The non-unique ones serve a real MongoDB; the embedded store ignores them.
 */
@Configuration
class StoreIndexes {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ApplicationRunner signoffIndexes(MongoTemplate mongo) {
        return args -> {
            mongo.indexOps(SignoffLog.ENTRIES).createIndex(new Index().on("signoffId", Sort.Direction.ASC).unique()
                    .named("signoff_unique"));
            mongo.indexOps(SignoffLog.ENTRIES).createIndex(new Index().on("releaseId", Sort.Direction.ASC)
                    .named("release"));
            mongo.indexOps(SignoffLog.ENTRIES).createIndex(new Index().on("signedAt", Sort.Direction.DESC)
                    .named("signed_at"));
            // outbox_due (partial: documents with events to relay) is the outbox relay's own (OutboxRelay.createIndexes)
            mongo.indexOps(SigningKeys.COLLECTION).createIndex(new Index().on("createdAt", Sort.Direction.DESC)
                    .named("created"));
        };
    }
}
