package io.liftoff.common.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import com.mongodb.ConnectionString;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import com.mongodb.client.MongoClient;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.unit.DataSize;

/**
 * Starts mongo-java-server in-process, bound to loopback on a free port, when no MongoDB URI is configured, and
 * points Spring Data MongoDB at it through {@link MongoConnectionDetails}. Setting {@code spring.mongodb.uri} (a real
 * MongoDB, a replica set in production) starts nothing.
 */
@AutoConfiguration(before = MongoAutoConfiguration.class)
@ConditionalOnClass(MongoServer.class)
@Conditional(EmbeddedMongoAutoConfiguration.NoMongoUriConfigured.class)
@EnableConfigurationProperties(EmbeddedMongoProperties.class)
public class EmbeddedMongoAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoAutoConfiguration.class);

    @Bean(destroyMethod = "shutdownNow")
    MongoServer embeddedMongoServer(EmbeddedMongoProperties properties, Environment environment) {
        MongoBackend backend = switch (properties.backend()) {
            case MEMORY -> new LiftoffMemoryBackend();
            case H2 -> h2Backend(dataDir(properties, environment), properties);
        };
        MongoServer server = new MongoServer(backend);
        server.bind(new InetSocketAddress("127.0.0.1", 0), 1, properties.ioThreads());
        InetSocketAddress address = server.getLocalAddress();
        log.info("Embedded MongoDB ({} backend) listening on {}", properties.backend(), address);
        return server;
    }

    @Bean
    MongoConnectionDetails embeddedMongoConnectionDetails(MongoServer embeddedMongoServer,
            EmbeddedMongoProperties properties, Environment environment) {
        InetSocketAddress address = embeddedMongoServer.getLocalAddress();
        String database = properties.database() != null ? properties.database()
                : environment.getProperty("spring.application.name", "liftoff");
        ConnectionString connectionString = new ConnectionString(
                "mongodb://" + address.getHostString() + ":" + address.getPort() + "/" + database);
        return () -> connectionString;
    }

    /**
     * Boot's Mongo health check sends {@code hello}, which mongo-java-server does not know; this one pings instead.
     * The bean name makes Boot's own indicator back off.
     */
    @Bean(name = "mongoHealthContributor")
    HealthIndicator embeddedMongoHealth(MongoServer embeddedMongoServer, ObjectProvider<MongoClient> client,
            EmbeddedMongoProperties properties, Environment environment) {
        return () -> {
            try {
                Document answer = client.getObject().getDatabase("admin").runCommand(new Document("ping", 1));
                return Health.up().withDetail("embedded", properties.backend().name().toLowerCase())
                        .withDetail("ok", answer.get("ok")).build();
            }
            catch (RuntimeException ex) {
                return Health.down().withDetail("embedded", properties.backend().name().toLowerCase())
                        .withDetail("error", ex.getClass().getSimpleName()).build();
            }
        };
    }

    private static Path dataDir(EmbeddedMongoProperties properties, Environment environment) {
        if (properties.dataDir() != null) {
            return properties.dataDir();
        }
        String base = environment.getProperty("liftoff.data-dir",
                Path.of(System.getProperty("user.home"), ".liftoff", "data").toString());
        return Path.of(base, environment.getProperty("spring.application.name", "liftoff"));
    }

    private static H2Backend h2Backend(Path dir, EmbeddedMongoProperties properties) {
        try {
            Files.createDirectories(dir);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create the embedded store's folder " + dir, ex);
        }
        Path file = dir.resolve("mongo.mv").toAbsolutePath();
        log.info("Embedded MongoDB keeps its data in {}", file);
        org.h2.mvstore.MVStore store = openStore(file, properties);
        return new LiftoffH2Backend(store, properties.compactFillRate(), properties.compactIdleAfter());
    }

    static org.h2.mvstore.MVStore openStore(Path file, EmbeddedMongoProperties properties) {
        org.h2.mvstore.MVStore.Builder builder = new org.h2.mvstore.MVStore.Builder().fileName(file.toString())
                .cacheSize(properties.cacheSize()).autoCompactFillRate(0); // IdleCompaction compacts instead
        DataSize buffer = properties.commitBuffer() != null ? properties.commitBuffer()
                : defaultCommitBuffer(Runtime.getRuntime().maxMemory());
        builder.autoCommitBufferSize((int) Math.max(1, buffer.toKilobytes()));
        org.h2.mvstore.MVStore store = builder.open();
        store.setAutoCommitDelay((int) properties.commitDelay().toMillis());
        // MVStore keeps the last 5 versions of every changed page in memory unless told otherwise (H2's own database
        // sets 0); nothing here reads an old version, and the copies only filled the old generation of a small heap.
        store.setVersionsToKeep(0);
        return store;
    }

    /** The commit buffer when none is configured: a quarter of the heap, at least 1 MB, at most 256 MB. */
    static DataSize defaultCommitBuffer(long maxHeapBytes) {
        return DataSize.ofBytes(Math.min(DataSize.ofMegabytes(256).toBytes(),
                Math.max(DataSize.ofMegabytes(1).toBytes(), maxHeapBytes / 4)));
    }

    /** True when neither {@code spring.mongodb.uri} is set nor the embedded server switched off. */
    static class NoMongoUriConfigured implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment env = context.getEnvironment();
            boolean uriSet = env.containsProperty("spring.mongodb.uri")
                    && !env.getProperty("spring.mongodb.uri", "").isBlank();
            return !uriSet && env.getProperty("liftoff.store.embedded.enabled", Boolean.class, true);
        }
    }
}
