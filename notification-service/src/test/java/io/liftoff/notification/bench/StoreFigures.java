package io.liftoff.notification.bench;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicLong;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

import org.springframework.context.ApplicationContext;

/**
 * What the embedded H2 store did during a benchmark round: how often it committed, how much it wrote to and read from
 * its file per event, how full its chunks are. Unlike CPU time, these do not move with the machine's speed, so a change
 * to how the service writes can be weighed in a run or two.
 * <p>
 * H2 keeps its byte counters in fields of its file store without getters, and mongo-java-server keeps its backend in
 * a private field; both are read by reflection, which is fine for a benchmark and would not be for the service.
 */
final class StoreFigures {

    private final MVStore store;
    private final AtomicLong writeBytes;
    private final AtomicLong readBytes;

    private StoreFigures(MVStore store, AtomicLong writeBytes, AtomicLong readBytes) {
        this.store = store;
        this.writeBytes = writeBytes;
        this.readBytes = readBytes;
    }

    /** The figures of the context's embedded H2 store; null when it has none (a real MongoDB, the in-memory store). */
    static StoreFigures of(ApplicationContext context) {
        MongoServer server = context.getBeanProvider(MongoServer.class).getIfAvailable();
        if (server == null) {
            return null;
        }
        MongoBackend backend = (MongoBackend) read(MongoServer.class, server, "backend");
        if (!(backend instanceof H2Backend h2) || h2.getMvStore().getFileStore() == null) {
            return null;
        }
        MVStore store = h2.getMvStore();
        FileStore<?> file = store.getFileStore();
        return new StoreFigures(store, (AtomicLong) read(FileStore.class, file, "writeBytes"),
                (AtomicLong) read(FileStore.class, file, "readBytes"));
    }

    /** Commits so far, bytes written, bytes read. */
    long[] counters() {
        return new long[] { store.getCurrentVersion(), writeBytes.get(), readBytes.get() };
    }

    /** A line on what the store did since {@code start} ({@link #counters()}) for {@code events} events. */
    String since(long[] start, int events) {
        long[] now = counters();
        FileStore<?> file = store.getFileStore();
        return String.format("store: %d commits, %.1f KB written and %.1f KB read per event; chunks %d%% live,"
                + " file %.0f MB, cache hits %d%%", now[0] - start[0], (now[1] - start[1]) / 1024.0 / events,
                (now[2] - start[2]) / 1024.0 / events, file.getChunksFillRate(), file.size() / 1e6,
                file.getCacheHitRatio());
    }

    private static Object read(Class<?> type, Object target, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(target);
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("cannot read " + type.getSimpleName() + "." + name
                    + " (mongo-java-server or H2 changed): " + ex, ex);
        }
    }
}
