package io.liftoff.checklist.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.liftoff.checklist.ChecklistServiceApplication;
import io.liftoff.checklist.support.AbstractIntegrationTest;
import io.liftoff.common.testing.Api;
import io.liftoff.common.testing.TestJwts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.MongoTemplate;

/** With no MongoDB URI the service keeps its data in an H2 file: a release written survives a restart. */
class EmbeddedStoreRestartIT {

    @TempDir
    Path dataDir;

    @Test
    void aReleaseWrittenBeforeARestartIsReadBackAfterIt() {
        String markdown = AbstractIntegrationTest.fixture("3.0.0");
        String id;
        String exportedBefore;
        try (ConfigurableApplicationContext first = start()) {
            Api api = api(first);
            Api.Response created = api.post("/api/releases?product=toolboxai", AbstractIntegrationTest.riley(),
                    "text/markdown", markdown);
            assertThat(created.status()).isEqualTo(201);
            id = created.json().path("id").asString();
            exportedBefore = api.get("/api/releases/" + id, AbstractIntegrationTest.eli(), "text/markdown").body();
        }
        assertThat(Files.exists(dataDir.resolve("checklist-service").resolve("mongo.mv"))).isTrue();

        try (ConfigurableApplicationContext second = start()) {
            Api api = api(second);
            Api.Response read = api.get("/api/releases/" + id, AbstractIntegrationTest.eli());
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.json().path("version").asString()).isEqualTo("3.0.0");
            assertThat(read.json().path("progress").path("overall").path("done").asInt()).isEqualTo(43);
            assertThat(api.get("/api/releases/" + id, AbstractIntegrationTest.eli(), "text/markdown").body())
                    .isEqualTo(exportedBefore).isEqualTo(markdown);
            assertThat(api.post("/api/releases?product=toolboxai", AbstractIntegrationTest.riley(), "text/markdown",
                    markdown).status()).as("the unique index survives too").isEqualTo(409);
            // the relay's partial index was asked for again at this start, and is in place with its filter
            assertThat(second.getBean(MongoTemplate.class).getCollection("release").listIndexes()
                    .into(new java.util.ArrayList<>())).filteredOn(i -> "outbox_due".equals(i.get("name")))
                    .singleElement().extracting(i -> i.get("partialFilterExpression"))
                    .isEqualTo(new org.bson.Document("outbox.nextAttemptAt", new org.bson.Document("$exists", true)));
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(ChecklistServiceApplication.class).run("--server.port=0",
                "--liftoff.data-dir=" + dataDir, "--liftoff.store.embedded.backend=h2",
                // the relay runs, as in the platform (its consumers are absent: it retries in the background)
                "--liftoff.outbox.consumer-url=http://127.0.0.1:9/api/events",
                "--liftoff.outbox.consumers[0].url=http://127.0.0.1:9/api/events",
                "--liftoff.security.public-key-location=classpath:liftoff-test-jwt.pub.pem",
                "--liftoff.security.issuer-uri=" + TestJwts.ISSUER);
    }

    private static Api api(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new Api("http://localhost:" + port);
    }
}
