package io.liftoff.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoServer;
import io.netty.util.concurrent.MultithreadEventExecutorGroup;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class EmbeddedMongoAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EmbeddedMongoAutoConfiguration.class, MongoAutoConfiguration.class))
            .withPropertyValues("spring.application.name=probe");

    @Test
    void withoutAMongoUriAnEmbeddedServerStartsOnLoopbackAndTheClientPointsAtIt() {
        runner.withPropertyValues("liftoff.store.embedded.backend=memory").run(context -> {
            MongoServer server = context.getBean(MongoServer.class);
            assertThat(server.getLocalAddress().getAddress().isLoopbackAddress()).isTrue();
            MongoConnectionDetails details = context.getBean(MongoConnectionDetails.class);
            assertThat(details.getConnectionString().getHosts())
                    .containsExactly("127.0.0.1:" + server.getLocalAddress().getPort());
            assertThat(details.getConnectionString().getDatabase()).isEqualTo("probe");
        });
    }

    @Test
    void theServerRunsOnTheConfiguredNumberOfNetworkThreadsOrNettysDefault() {
        runner.withPropertyValues("liftoff.store.embedded.backend=memory", "liftoff.store.embedded.io-threads=1")
                .run(context -> assertThat(workerThreads(context.getBean(MongoServer.class))).isEqualTo(1));
        runner.withPropertyValues("liftoff.store.embedded.backend=memory")
                .run(context -> assertThat(workerThreads(context.getBean(MongoServer.class)))
                        .isEqualTo(2 * Runtime.getRuntime().availableProcessors()));
    }

    private static int workerThreads(MongoServer server) throws ReflectiveOperationException {
        Field field = MongoServer.class.getDeclaredField("workerGroup");
        field.setAccessible(true);
        return ((MultithreadEventExecutorGroup) field.get(server)).executorCount();
    }

    @Test
    void aConfiguredMongoUriStartsNothingEmbedded() {
        runner.withPropertyValues("spring.mongodb.uri=mongodb://db1.example:27017,db2.example:27017/liftoff?replicaSet=rs0")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(MongoServer.class);
                    assertThat(context.getBean(MongoConnectionDetails.class).getConnectionString().getHosts())
                            .containsExactly("db1.example:27017", "db2.example:27017");
                });
    }

    @Test
    void theEmbeddedServerCanBeSwitchedOff() {
        runner.withPropertyValues("liftoff.store.embedded.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(MongoServer.class));
    }

    @Test
    void theStoreIsOpenedWithTheConfiguredCommitDelayAndWithoutH2sOwnCompaction(@TempDir Path dir) throws Exception {
        runner.withPropertyValues("liftoff.store.embedded.data-dir=" + dir).run(context -> {
            EmbeddedMongoProperties defaults = context.getBean(EmbeddedMongoProperties.class);
            assertThat(defaults.compactFillRate()).isEqualTo(90);
            assertThat(defaults.compactIdleAfter()).hasSeconds(5);
            assertThat(defaults.commitDelay()).hasSeconds(1);
        });
        runner.withPropertyValues("liftoff.store.embedded.data-dir=" + dir,
                "liftoff.store.embedded.compact-fill-rate=70", "liftoff.store.embedded.compact-idle-after=30s",
                "liftoff.store.embedded.commit-delay=250ms")
                .run(context -> {
                    EmbeddedMongoProperties properties = context.getBean(EmbeddedMongoProperties.class);
                    assertThat(properties.compactFillRate()).isEqualTo(70);
                    assertThat(properties.compactIdleAfter()).hasSeconds(30);
                    MVStore store = EmbeddedMongoAutoConfiguration.openStore(dir.resolve("probe.mv"), properties);
                    try {
                        Method rate = FileStore.class.getDeclaredMethod("getAutoCompactFillRate");
                        rate.setAccessible(true);
                        assertThat(rate.invoke(store.getFileStore())).as("H2's housekeeping is off").isEqualTo(0);
                        assertThat(store.getAutoCommitDelay()).isEqualTo(250);
                        assertThat(store.getAutoCommitMemory()).isEqualTo(
                                (int) EmbeddedMongoAutoConfiguration.defaultCommitBuffer(Runtime.getRuntime().maxMemory())
                                        .toBytes());
                    }
                    finally {
                        store.close();
                    }
                });
    }

    @Test
    void theStoresCompactionRunsWhileTheServerDoesAndStopsBeforeItsStoreCloses(@TempDir Path dir) {
        runner.withPropertyValues("liftoff.store.embedded.data-dir=" + dir).run(context -> {
            assertThat(context).hasSingleBean(MongoServer.class);
            assertThat(compactionThreads()).isEqualTo(1);
        });
        assertThat(compactionThreads()).as("stopped with the context").isZero();
        runner.withPropertyValues("liftoff.store.embedded.data-dir=" + dir,
                "liftoff.store.embedded.compact-fill-rate=0")
                .run(context -> assertThat(compactionThreads()).as("a rate of 0: no compaction").isZero());
    }

    private static long compactionThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("embedded-store-compaction") && t.isAlive()).count();
    }

    @Test
    void theCommitBufferIsTheConfiguredOneOrAQuarterOfTheHeapUpTo256Megabytes(@TempDir Path dir) {
        runner.withPropertyValues("liftoff.store.embedded.data-dir=" + dir, "liftoff.store.embedded.commit-buffer=8MB")
                .run(context -> {
                    MVStore store = EmbeddedMongoAutoConfiguration.openStore(dir.resolve("probe.mv"),
                            context.getBean(EmbeddedMongoProperties.class));
                    try {
                        assertThat(store.getAutoCommitMemory()).isEqualTo(8 * 1024 * 1024);
                    }
                    finally {
                        store.close();
                    }
                });
        long mb = 1024 * 1024;
        assertThat(EmbeddedMongoAutoConfiguration.defaultCommitBuffer(128 * mb).toMegabytes()).isEqualTo(32);
        assertThat(EmbeddedMongoAutoConfiguration.defaultCommitBuffer(256 * mb).toMegabytes()).isEqualTo(64);
        assertThat(EmbeddedMongoAutoConfiguration.defaultCommitBuffer(6144 * mb).toMegabytes()).isEqualTo(256);
        assertThat(EmbeddedMongoAutoConfiguration.defaultCommitBuffer(2 * mb).toMegabytes()).isEqualTo(1);
        assertThat(EmbeddedMongoAutoConfiguration.defaultCommitBuffer(Long.MAX_VALUE).toMegabytes()).isEqualTo(256);
    }
}
