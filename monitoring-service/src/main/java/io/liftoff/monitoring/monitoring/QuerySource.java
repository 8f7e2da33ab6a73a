package io.liftoff.monitoring.monitoring;

import java.time.Instant;

/** A PromQL instant query; never throws: an unreachable source is an answer without a value. */
public interface QuerySource {

    Answer query(String promql, Instant at, boolean worstIsHighest);

    /** A value, or the reason there is none. */
    record Answer(Double value, String reason) {

        public static Answer of(double value) {
            return new Answer(value, null);
        }

        public static Answer none(String reason) {
            return new Answer(null, reason);
        }
    }
}
