package io.liftoff.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import de.bwaldvogel.mongo.MongoServer;
import io.liftoff.common.store.LiftoffMemoryBackend;
import io.liftoff.notification.config.Claims;
import io.liftoff.notification.delivery.DeliveryDoc.DeliveryState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Update;

/** The delivery workers' attempt records, written in batches after the sends, on the embedded store. */
class AttemptRecorderTest {

    private MongoServer server;
    private MongoClient client;
    private MongoTemplate mongo;
    private Claims claims;
    private final List<String> updateCommands = new CopyOnWriteArrayList<>();
    private final AtomicInteger lost = new AtomicInteger();
    private AttemptRecorder recorder;

    @BeforeEach
    void start() {
        server = new MongoServer(new LiftoffMemoryBackend());
        server.bind("127.0.0.1", 0);
        client = MongoClients.create(com.mongodb.MongoClientSettings.builder()
                .applyConnectionString(new com.mongodb.ConnectionString(
                        "mongodb://127.0.0.1:" + server.getLocalAddress().getPort()))
                .addCommandListener(new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        if (event.getCommandName().equals("update")) {
                            updateCommands.add(event.getCommand().toJson());
                        }
                    }
                }).build());
        mongo = new MongoTemplate(client, "recorder");
        claims = new Claims(mongo, new StaticListableBeanFactory(Map.of("server", server))
                .getBeanProvider(MongoServer.class));
        // a linger long enough that the 20 records of the first test always arrive within it, even on a busy machine
        recorder = new AttemptRecorder(claims, "dispatcher-test", Duration.ofSeconds(1), lost::incrementAndGet);
    }

    @AfterEach
    void stop() {
        recorder.stop(Duration.ofSeconds(5));
        client.close();
        server.shutdownNow();
    }

    private void pending(String id) {
        DeliveryDoc d = new DeliveryDoc();
        d.id = id;
        d.status = DeliveryState.PENDING;
        mongo.insert(d);
        assertThat(claims.hold(DeliveryDoc.class, id)).isTrue();
    }

    private static Update delivered(int code) {
        return new Update().push("log", new DeliveryDoc.AttemptRecord(java.time.Instant.now(), "DELIVERED", code, null,
                3)).set("tries", 1).set("status", DeliveryState.DELIVERED);
    }

    @Test
    void recordsArrivingTogetherAreOneWriteAndEachClaimEndsOnlyOnceItsRecordIsStored() throws Exception {
        recorder.start();
        CountDownLatch done = new CountDownLatch(20);
        for (int i = 0; i < 20; i++) {
            pending("d-" + i);
        }
        updateCommands.clear();
        List<String> storedWhenReleased = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "d-" + i;
            assertThat(recorder.record(new AttemptRecorder.Attempt(id, delivered(200 + i), () -> {
                if (mongo.findById(id, DeliveryDoc.class).status == DeliveryState.DELIVERED) {
                    storedWhenReleased.add(id);
                }
                claims.release(DeliveryDoc.class, id);
                done.countDown();
            }))).isTrue();
        }

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(updateCommands).as("one bulk write for the 20 records").hasSize(1);
        assertThat(storedWhenReleased).hasSize(20);
        for (int i = 0; i < 20; i++) {
            DeliveryDoc d = mongo.findById("d-" + i, DeliveryDoc.class);
            assertThat(d.log).extracting(DeliveryDoc.AttemptRecord::statusCode).containsExactly(200 + i);
            assertThat(claims.hold(DeliveryDoc.class, d.id)).as("claim ended").isTrue();
        }
        assertThat(lost).hasValue(0);
    }

    @Test
    void aRecordWhoseDeliveryIsGoneIsReportedAndItsClaimStillEnds() throws Exception {
        recorder.start();
        pending("here");
        CountDownLatch done = new CountDownLatch(2);
        recorder.record(new AttemptRecorder.Attempt("here", delivered(200), done::countDown));
        recorder.record(new AttemptRecorder.Attempt("gone", delivered(200), done::countDown));

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(lost).hasValue(1);
        assertThat(mongo.findById("here", DeliveryDoc.class).status).isEqualTo(DeliveryState.DELIVERED);
    }

    @Test
    void aFailedWriteIsReportedAndTheDeliveryStaysPendingToBeSentAgain() throws Exception {
        recorder.start();
        pending("d");
        CountDownLatch done = new CountDownLatch(1);
        // an update the store refuses: $push to a field that is not an array
        recorder.record(new AttemptRecorder.Attempt("d", new Update().push("status", "x"), done::countDown));

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(lost).hasValue(1);
        assertThat(mongo.findById("d", DeliveryDoc.class).status).isEqualTo(DeliveryState.PENDING);
    }

    @Test
    void stoppingWritesWhatIsQueuedAndThenRefusesMore() {
        recorder.start();
        pending("d");
        AtomicInteger after = new AtomicInteger();
        recorder.record(new AttemptRecorder.Attempt("d", delivered(200), after::incrementAndGet));

        long started = System.nanoTime();
        recorder.stop(Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait for the linger or the idle poll")
                .isLessThan(Duration.ofSeconds(4));
        assertThat(after).hasValue(1);
        assertThat(mongo.findById("d", DeliveryDoc.class).status).isEqualTo(DeliveryState.DELIVERED);
        assertThat(recorder.record(new AttemptRecorder.Attempt("d", delivered(200), after::incrementAndGet)))
                .isFalse();
    }
}
