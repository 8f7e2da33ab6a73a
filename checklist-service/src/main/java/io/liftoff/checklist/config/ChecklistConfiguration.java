package io.liftoff.checklist.config;

import io.liftoff.checklist.markdown.MarkdownChecklistExporter;
import io.liftoff.checklist.markdown.MarkdownChecklistParser;
import io.liftoff.checklist.release.Release;
import io.liftoff.checklist.template.Template;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.Index;

@Configuration
@EnableConfigurationProperties(ChecklistConfiguration.ChecklistProperties.class)
class ChecklistConfiguration {

    /**
     * @param maxItems the largest checklist accepted (items); a bigger document is refused with 422 and its line
     */
    @ConfigurationProperties("liftoff.checklist")
    record ChecklistProperties(@DefaultValue("5000") int maxItems) {
    }

    @Bean
    MarkdownChecklistParser markdownChecklistParser(ChecklistProperties properties) {
        return new MarkdownChecklistParser(properties.maxItems());
    }

    @Bean
    MarkdownChecklistExporter markdownChecklistExporter() {
        return new MarkdownChecklistExporter();
    }

    /** The indexes the code relies on, created explicitly (auto-index creation is off in Boot 4). */
    @Bean
    ApplicationRunner checklistIndexes(MongoTemplate mongo) {
        return args -> {
            mongo.indexOps(Release.class).createIndex(new Index().on("product", Sort.Direction.ASC)
                    .on("version", Sort.Direction.ASC).unique().named("product_version_unique"));
            mongo.indexOps(Release.class).createIndex(new Index().on("product", Sort.Direction.ASC)
                    .on("createdAt", Sort.Direction.DESC).named("product_created"));
            // outbox_due (partial: documents with events to relay) is the outbox relay's own (OutboxRelay.createIndexes)
            // The revision-guarded item update pins _id, so the _id index serves it; earlier builds kept this
            // compound index for it, which every write of a release paid for.
            if (mongo.indexOps(Release.class).getIndexInfo().stream()
                    .anyMatch(index -> index.getName().equals("id_revision"))) {
                mongo.indexOps(Release.class).dropIndex("id_revision");
            }
            // Earlier builds kept each item's last note in one document per release; item_history holds it now.
            if (mongo.collectionExists("release_detail")) {
                mongo.dropCollection("release_detail");
            }
            mongo.indexOps(Template.class).createIndex(new Index().on("name", Sort.Direction.ASC).named("name"));
        };
    }
}
