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
            mongo.indexOps(Release.class).createIndex(new Index().on("outbox.nextAttemptAt", Sort.Direction.ASC)
                    .named("outbox_due"));
            // The exact keys of the revision-guarded item update: trivially unique, and the embedded store serves a
            // query by an index only when the query has exactly that index's keys.
            mongo.indexOps(Release.class).createIndex(new Index().on("_id", Sort.Direction.ASC)
                    .on("revision", Sort.Direction.ASC).unique().named("id_revision"));
            mongo.indexOps(Template.class).createIndex(new Index().on("name", Sort.Direction.ASC).named("name"));
        };
    }
}
