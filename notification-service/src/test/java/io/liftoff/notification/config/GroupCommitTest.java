package io.liftoff.notification.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final ExecutorService callers = Executors.newFixedThreadPool(16);

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    @Test
    void aLoneWriteIsWrittenAtOnceByItsCaller() {
        GroupCommit<Integer, String> commit = new GroupCommit<>(writes -> {
            batches.add(writes);
            return writes.stream().map(w -> "done " + w).toList();
        }, 10);

        assertThat(commit.submit(7)).isEqualTo("done 7");
        assertThat(commit.submit(8)).isEqualTo("done 8");

        assertThat(batches).containsExactly(List.of(7), List.of(8));
    }

    @Test
    void writesArrivingWhileABatchIsWrittenGoTogetherAndEachCallerGetsItsOwnOutcome() throws Exception {
        CountDownLatch firstBatchStarted = new CountDownLatch(1);
        CountDownLatch othersWaiting = new CountDownLatch(1);
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(writes -> {
            batches.add(writes);
            if (batches.size() == 1) {
                firstBatchStarted.countDown();
                await(othersWaiting);
            }
            return writes.stream().map(w -> w * 10).toList();
        }, 100);

        Future<Integer> first = callers.submit(() -> commit.submit(0));
        assertThat(firstBatchStarted.await(5, TimeUnit.SECONDS)).isTrue();
        List<Future<Integer>> others = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            int write = i;
            others.add(callers.submit(() -> commit.submit(write)));
        }
        Thread.sleep(200); // the twelve are queued behind the first batch
        othersWaiting.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS)).isZero();
        for (int i = 0; i < others.size(); i++) {
            assertThat(others.get(i).get(5, TimeUnit.SECONDS)).isEqualTo((i + 1) * 10);
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    }

    @Test
    void noBatchIsLargerThanTheLimitAndNoWriteIsLostOrDoubled() throws Exception {
        AtomicInteger written = new AtomicInteger();
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(writes -> {
            batches.add(writes);
            written.addAndGet(writes.size());
            sleep(2);
            return writes;
        }, 4);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int write = i;
            results.add(callers.submit(() -> commit.submit(write)));
        }
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i);
        }

        assertThat(written.get()).isEqualTo(400);
        assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(4));
        assertThat(batches.stream().flatMap(List::stream).distinct().count()).isEqualTo(400);
        assertThat(batches.stream().anyMatch(batch -> batch.size() > 1)).isTrue();
    }

    @Test
    void aFailedBatchFailsEachOfItsCallersAndTheNextWriteStillGoesThrough() {
        AtomicInteger calls = new AtomicInteger();
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(writes -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("store down");
            }
            return writes;
        }, 10);

        assertThatThrownBy(() -> commit.submit(1)).isInstanceOf(IllegalStateException.class).hasMessage("store down");
        assertThat(commit.submit(2)).isEqualTo(2);
    }

    @Test
    void aWriterThatAnswersTheWrongNumberOfOutcomesFailsTheBatch() {
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(writes -> List.of(), 10);

        assertThatThrownBy(() -> commit.submit(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0 outcomes for 1 writes");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
