package io.liftoff.signoff.history;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * An iterator that reads its elements from the store a batch at a time. A batch may hold nothing (none of it matched):
 * reading goes on until one holds something or {@link #fill} says the source is done.
 */
abstract class Batched<T> implements Iterator<T> {

    private final List<T> buffer = new ArrayList<>();
    private int position;

    /** Adds the next batch, in order, to the empty {@code into}; false when there is no next batch. */
    protected abstract boolean fill(List<T> into);

    @Override
    public boolean hasNext() {
        while (position >= buffer.size()) {
            buffer.clear();
            position = 0;
            if (!fill(buffer)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return buffer.get(position++);
    }
}
