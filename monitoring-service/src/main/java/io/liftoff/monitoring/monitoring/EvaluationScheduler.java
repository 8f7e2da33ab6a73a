package io.liftoff.monitoring.monitoring;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.liftoff.monitoring.config.MonitoringProperties;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * The service's own scheduler: one ticker thread looks in the store for releases with something due
 * ({@code nextDueAt}) and hands each to a small pool; a release already being worked on by this replica is not handed
 * over twice. Because what is due lives in the store, a restarted replica carries on where the store says, and
 * leases keep replicas from evaluating the same check at once. Breaching samples are evaluated at once on the pool.
 */
public class EvaluationScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EvaluationScheduler.class);

    private final MongoTemplate mongo;
    private final MonitoringService service;
    private final MonitoringProperties properties;
    private final Clock clock;
    private final boolean tickerEnabled;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private volatile ExecutorService pool;
    private volatile ExecutorService prompt;
    private final Set<String> promptQueued = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService ticker;
    private volatile boolean running;

    public EvaluationScheduler(MongoTemplate mongo, MonitoringService service, MonitoringProperties properties,
            Clock clock, boolean tickerEnabled) {
        this.mongo = mongo;
        this.service = service;
        this.properties = properties;
        this.clock = clock;
        this.tickerEnabled = tickerEnabled;
        createExecutors();
    }

    /** The evaluation pool and the prompt thread; made again when the scheduler starts after a stop. */
    private void createExecutors() {
        AtomicInteger counter = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(properties.evaluatorThreads(), properties.evaluatorThreads(), 60,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "monitoring-eval-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.prompt = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "monitoring-prompt");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** One look for due releases; their work runs on the pool. Returns the releases handed over. */
    public int tick() {
        Query due = Query.query(Criteria.where("nextDueAt").lte(clock.instant()));
        due.fields().include("_id");
        List<Document> releases = mongo.find(due, Document.class, ReleaseMonitoring.COLLECTION);
        int handed = 0;
        for (Document release : releases) {
            String id = release.getString("_id");
            if (inFlight.add(id)) {
                handed++;
                pool.execute(() -> {
                    try {
                        service.runDue(id);
                    }
                    catch (RuntimeException ex) {
                        log.warn("Scheduled work of release {} failed: {}", id, ex.toString());
                    }
                    finally {
                        inFlight.remove(id);
                    }
                });
            }
        }
        return handed;
    }

    /** Runs what is due now on the caller's thread (tests drive time with a controllable clock). */
    public void runDueNow() {
        Query due = Query.query(Criteria.where("nextDueAt").lte(clock.instant()));
        due.fields().include("_id");
        for (Document release : mongo.find(due, Document.class, ReleaseMonitoring.COLLECTION)) {
            service.runDue(release.getString("_id"));
        }
    }

    /**
     * Evaluates checks at once (a breaching sample arrived) on a thread of their own, so that a breach never waits
     * behind the scheduled work; a check already waiting for its prompt evaluation is not queued twice.
     */
    public void evaluateNow(String releaseId, Collection<String> checkIds) {
        List<String> fresh = checkIds.stream().filter(id -> promptQueued.add(releaseId + ":" + id)).toList();
        if (fresh.isEmpty()) {
            return;
        }
        prompt.execute(() -> {
            fresh.forEach(id -> promptQueued.remove(releaseId + ":" + id));
            try {
                service.evaluate(releaseId, fresh, true);
            }
            catch (RuntimeException ex) {
                log.warn("Prompt evaluation of {} {} failed: {}", releaseId, fresh, ex.toString());
            }
        });
    }

    @Override
    public synchronized void start() {
        if (pool.isShutdown() || prompt.isShutdown()) {
            createExecutors();
        }
        running = true;
        if (tickerEnabled && ticker == null) {
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "monitoring-ticker");
                thread.setDaemon(true);
                return thread;
            });
            long period = properties.tick().toMillis();
            executor.scheduleWithFixedDelay(() -> {
                try {
                    tick();
                }
                catch (RuntimeException ex) {
                    log.warn("Monitoring tick failed: {}", ex.toString());
                }
            }, period, period, TimeUnit.MILLISECONDS);
            ticker = executor;
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        ScheduledExecutorService executor = ticker;
        ticker = null;
        if (executor != null) {
            executor.shutdownNow();
        }
        prompt.shutdown();
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
