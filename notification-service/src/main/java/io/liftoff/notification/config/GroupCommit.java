package io.liftoff.notification.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Turns writes that arrive at the same time into one (a group commit): a caller hands in its write and waits for it
 * to be done; a caller that finds no batch being written writes everything waiting (up to {@code maxBatch}) in one
 * round trip, and the callers that arrive meanwhile wait for the next batch. A caller alone writes at once: nothing
 * waits for a batch to fill, so the gain comes only when writes overlap, and every caller returns only once its own
 * write is done, exactly as with a write of its own.
 *
 * @param <T> one write
 * @param <R> its outcome
 */
public final class GroupCommit<T, R> {

    private static final class Slot<T, R> {
        final T write;
        final Condition turn;
        boolean done;
        R outcome;
        RuntimeException failure;

        Slot(T write, Condition turn) {
            this.write = write;
            this.turn = turn;
        }
    }

    private final Function<List<T>, List<R>> writer;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Slot<T, R>> waiting = new ArrayDeque<>();
    private boolean writing;

    /**
     * @param writer   writes a batch; answers one outcome per write, in order, or throws, which fails every write of
     *                 the batch with that exception
     * @param maxBatch writes in one batch at most
     */
    public GroupCommit(Function<List<T>, List<R>> writer, int maxBatch) {
        this.writer = writer;
        this.maxBatch = maxBatch;
    }

    /** Writes (with whatever else is waiting) and answers the outcome of this write. */
    public R submit(T write) {
        Slot<T, R> mine;
        lock.lock();
        try {
            mine = new Slot<>(write, lock.newCondition());
            waiting.add(mine);
            while (!mine.done && writing) {
                mine.turn.awaitUninterruptibly();
            }
            if (mine.done) {
                return outcome(mine);
            }
            writing = true;
        }
        finally {
            lock.unlock();
        }
        while (true) {
            List<Slot<T, R>> batch = new ArrayList<>();
            lock.lock();
            try {
                while (batch.size() < maxBatch && !waiting.isEmpty()) {
                    batch.add(waiting.poll());
                }
            }
            finally {
                lock.unlock();
            }
            List<R> outcomes = null;
            RuntimeException failure = null;
            boolean abandoned = false;
            try {
                outcomes = writer.apply(batch.stream().map(s -> s.write).toList());
                if (outcomes.size() != batch.size()) {
                    failure = new IllegalStateException(
                            "the writer answered " + outcomes.size() + " outcomes for " + batch.size() + " writes");
                }
            }
            catch (RuntimeException ex) {
                failure = ex;
            }
            catch (Error ex) {
                failure = new IllegalStateException(ex);
                abandoned = true;
                throw ex;
            }
            finally {
                lock.lock();
                try {
                    for (int i = 0; i < batch.size(); i++) {
                        Slot<T, R> slot = batch.get(i);
                        slot.done = true;
                        if (failure != null || outcomes == null) {
                            slot.failure = failure != null ? failure : new IllegalStateException("write failed");
                        }
                        else {
                            slot.outcome = outcomes.get(i);
                        }
                        if (slot != mine) {
                            slot.turn.signal();
                        }
                    }
                    if (mine.done || abandoned) {
                        writing = false;
                        Slot<T, R> next = waiting.peek();
                        if (next != null) {
                            next.turn.signal(); // the next caller writes the next batch
                        }
                    }
                }
                finally {
                    lock.unlock();
                }
            }
            if (mine.done) {
                return outcome(mine);
            }
        }
    }

    private R outcome(Slot<T, R> slot) {
        if (slot.failure != null) {
            throw slot.failure;
        }
        return slot.outcome;
    }
}
