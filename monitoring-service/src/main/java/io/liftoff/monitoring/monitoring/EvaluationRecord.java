package io.liftoff.monitoring.monitoring;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One evaluation of a check: when, the verdict, the value and the threshold it was compared with, where the value
 * came from and how many samples it summarises, and a sentence saying why.
 */
public record EvaluationRecord(Instant at, Verdict verdict, Double value, Double threshold, String source,
        Integer samples, String reason) {

    public enum Verdict {
        PASS, FAIL, INCONCLUSIVE
    }

    public static EvaluationRecord inconclusive(Instant at, String source, String reason) {
        return new EvaluationRecord(at, Verdict.INCONCLUSIVE, null, null, source, 0, reason);
    }

    Map<String, Object> asEventData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("at", at.toString());
        data.put("verdict", verdict.name());
        data.put("value", value);
        data.put("threshold", threshold);
        data.put("source", source);
        data.put("samples", samples);
        data.put("reason", reason);
        return data;
    }
}
