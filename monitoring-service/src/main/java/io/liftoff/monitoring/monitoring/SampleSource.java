package io.liftoff.monitoring.monitoring;

import java.time.Instant;

/** Pushed samples of a release's metric, in the canonical unit of their dimension. */
public interface SampleSource {

    /** Samples with {@code from <= timestamp <= to}, ordered by time. */
    Series read(String releaseId, String metric, Instant from, Instant to);

    /** Times (epoch ms) and values, ordered by time. */
    record Series(long[] times, double[] values) {

        public int size() {
            return times.length;
        }
    }
}
