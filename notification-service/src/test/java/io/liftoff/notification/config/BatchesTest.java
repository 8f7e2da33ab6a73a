package io.liftoff.notification.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private final LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
    private final List<Integer> batch = new ArrayList<>();
    private final ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        producer.shutdownNow();
    }

    @Test
    void nothingArrivingWithinTheIdleWaitIsNoBatch() throws Exception {
        assertThat(Batches.take(queue, batch, 10, Duration.ofMillis(20), Duration.ofSeconds(5))).isFalse();
        assertThat(batch).isEmpty();
    }

    @Test
    void workArrivingWithinTheLingerJoinsTheBatchAndLaterWorkWaitsForTheNext() throws Exception {
        queue.add(1);
        producer.schedule(() -> queue.add(2), 20, TimeUnit.MILLISECONDS);
        producer.schedule(() -> queue.add(3), 40, TimeUnit.MILLISECONDS);
        producer.schedule(() -> queue.add(4), 3000, TimeUnit.MILLISECONDS);

        long started = System.nanoTime();
        assertThat(Batches.take(queue, batch, 10, Duration.ofMillis(20), Duration.ofMillis(500))).isTrue();

        assertThat(batch).containsExactly(1, 2, 3);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("it waits the linger, no longer")
                .isBetween(Duration.ofMillis(500), Duration.ofMillis(2500));
        assertThat(queue.poll(5, TimeUnit.SECONDS)).isEqualTo(4);
    }

    @Test
    void withoutALingerOnlyWhatIsWaitingJoins() throws Exception {
        queue.addAll(List.of(1, 2));
        producer.schedule(() -> queue.add(3), 300, TimeUnit.MILLISECONDS);

        assertThat(Batches.take(queue, batch, 10, Duration.ofMillis(20), Duration.ZERO)).isTrue();

        assertThat(batch).containsExactly(1, 2);
        assertThat(queue.poll(5, TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void aFullBatchIsTakenWithoutWaitingAndTheRestStaysQueued() throws Exception {
        for (int i = 1; i <= 7; i++) {
            queue.add(i);
        }

        long started = System.nanoTime();
        assertThat(Batches.take(queue, batch, 5, Duration.ofMillis(20), Duration.ofSeconds(30))).isTrue();

        assertThat(batch).containsExactly(1, 2, 3, 4, 5);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(queue).containsExactly(6, 7);
    }
}
