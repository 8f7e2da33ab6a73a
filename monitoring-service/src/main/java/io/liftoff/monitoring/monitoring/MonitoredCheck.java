package io.liftoff.monitoring.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.liftoff.monitoring.config.MonitoringProperties;

/**
 * A METRIC target checked during its window, or a TRIGGER checked during the whole monitoring period: the target from
 * the checklist item, the settings (defaults unless set through the API), and the evaluation state.
 */
public class MonitoredCheck {

    public static final String METRIC = "METRIC";
    public static final String TRIGGER = "TRIGGER";

    private String id;
    private String kind;
    private String itemId;
    private String itemKey;
    private String text;
    private String windowKey;
    private String metric;
    private String comparator;
    private Double threshold;
    private String unit;
    private String aggregation;
    private String relative;
    private Double baseline;
    private String baselineSource;

    private String evaluationInterval;
    private String initialDelay;
    private int failureLimit;
    private int inconclusiveLimit;
    private String lookback;
    private String sustainedFor;
    private String baselinePeriod;
    private String query;
    private String queryUnit;
    private List<String> alertNames = new ArrayList<>();

    private String verdict = "PENDING";
    private boolean terminal;
    private boolean samplesFiring;
    private List<String> alertFingerprints = new ArrayList<>();
    private Double currentValue;
    private Double effectiveThreshold;
    private int consecutiveFailures;
    private int consecutiveInconclusive;
    private Instant lastEvaluatedAt;
    private Instant nextEvaluationAt;
    private List<EvaluationRecord> evaluations = new ArrayList<>();

    MonitoredCheck() {
    }

    static MonitoredCheck of(ReleaseSnapshot.ItemSpec item, String windowKey, MonitoringProperties.Defaults defaults) {
        MonitoredCheck check = new MonitoredCheck();
        check.id = item.id();
        check.kind = item.kind();
        check.itemId = item.id();
        check.itemKey = item.key();
        check.text = item.text();
        check.windowKey = windowKey;
        ReleaseSnapshot.Target target = item.target();
        if (target != null) {
            check.metric = target.metric();
            check.comparator = target.comparator();
            check.threshold = target.threshold();
            check.unit = target.unit();
            check.aggregation = target.aggregation();
            check.relative = target.relative();
        }
        check.resetAll(defaults);
        return check;
    }

    void resetAll(MonitoringProperties.Defaults defaults) {
        for (String setting : List.of("evaluationInterval", "initialDelay", "failureLimit", "inconclusiveLimit",
                "lookback", "sustainedFor", "baselinePeriod", "baseline", "query", "queryUnit", "alertNames")) {
            reset(setting, defaults);
        }
    }

    void reset(String setting, MonitoringProperties.Defaults defaults) {
        switch (setting) {
            case "evaluationInterval" -> evaluationInterval = defaults.evaluationInterval().toString();
            case "initialDelay" -> initialDelay = defaults.initialDelay().toString();
            case "failureLimit" -> failureLimit = isTrigger() ? defaults.triggerFailureLimit()
                    : defaults.metricFailureLimit();
            case "inconclusiveLimit" -> inconclusiveLimit = defaults.inconclusiveLimit();
            case "lookback" -> lookback = defaults.lookback().toString();
            case "sustainedFor" -> sustainedFor = defaults.sustainedFor().toString();
            case "baselinePeriod" -> baselinePeriod = defaults.baselinePeriod().toString();
            case "baseline" -> {
                baseline = null;
                baselineSource = null;
            }
            case "query" -> query = null;
            case "queryUnit" -> queryUnit = null;
            case "alertNames" -> alertNames = new ArrayList<>();
            default -> throw new IllegalStateException("Unknown setting " + setting);
        }
    }

    public boolean isTrigger() {
        return TRIGGER.equals(kind);
    }

    /** A target with a number; triggers without one are fired by Alertmanager alone. */
    public boolean isMeasurable() {
        return metric != null && comparator != null && threshold != null;
    }

    public boolean isRelative() {
        return relative != null;
    }

    public boolean isSustained() {
        return "sustained".equalsIgnoreCase(aggregation);
    }

    public boolean isFiring() {
        return samplesFiring || !alertFingerprints.isEmpty();
    }

    /**
     * Whether a higher value is the worse one: a METRIC {@code < 200ms} is broken by high values, a TRIGGER
     * {@code > 1%} is set off by high values.
     */
    public boolean worstIsHighest() {
        boolean lessIsGood = comparator != null && comparator.startsWith("<");
        return isTrigger() ? !lessIsGood : lessIsGood;
    }

    void recordEvaluation(EvaluationRecord record, int keep) {
        evaluations.add(record);
        while (evaluations.size() > keep) {
            evaluations.remove(0);
        }
        lastEvaluatedAt = record.at();
        if (record.value() != null) {
            currentValue = record.value();
        }
        if (record.threshold() != null) {
            effectiveThreshold = record.threshold();
        }
    }

    List<EvaluationRecord> recent(int count) {
        return evaluations.subList(Math.max(0, evaluations.size() - count), evaluations.size());
    }

    public Duration interval() {
        return Duration.parse(evaluationInterval);
    }

    public Duration initialDelayDuration() {
        return Duration.parse(initialDelay);
    }

    public Duration lookbackDuration() {
        return Duration.parse(lookback);
    }

    public Duration sustainedDuration() {
        return Duration.parse(sustainedFor);
    }

    public Duration baselinePeriodDuration() {
        return Duration.parse(baselinePeriod);
    }

    // Settings, changed through the API.

    void setEvaluationInterval(Duration value) {
        evaluationInterval = value.toString();
    }

    void setInitialDelay(Duration value) {
        initialDelay = value.toString();
    }

    void setFailureLimit(int value) {
        failureLimit = value;
    }

    void setInconclusiveLimit(int value) {
        inconclusiveLimit = value;
    }

    void setLookback(Duration value) {
        lookback = value.toString();
    }

    void setSustainedFor(Duration value) {
        sustainedFor = value.toString();
    }

    void setBaselinePeriod(Duration value) {
        baselinePeriod = value.toString();
        if ("SAMPLES".equals(baselineSource)) {
            baseline = null;
            baselineSource = null;
        }
    }

    void pinBaseline(double value) {
        baseline = value;
        baselineSource = "PINNED";
    }

    void baselineFromSamples(double value) {
        baseline = value;
        baselineSource = "SAMPLES";
    }

    void setQuery(String value) {
        query = value;
    }

    void setQueryUnit(String value) {
        queryUnit = value;
    }

    void setAlertNames(List<String> value) {
        alertNames = new ArrayList<>(value);
    }

    // State, changed by evaluations and alerts.

    void setVerdict(String verdict) {
        this.verdict = verdict;
    }

    void setTerminal(boolean terminal) {
        this.terminal = terminal;
    }

    void setSamplesFiring(boolean samplesFiring) {
        this.samplesFiring = samplesFiring;
    }

    void setConsecutiveFailures(int consecutiveFailures) {
        this.consecutiveFailures = consecutiveFailures;
    }

    void setConsecutiveInconclusive(int consecutiveInconclusive) {
        this.consecutiveInconclusive = consecutiveInconclusive;
    }

    void setNextEvaluationAt(Instant nextEvaluationAt) {
        this.nextEvaluationAt = nextEvaluationAt;
    }

    public String getId() {
        return id;
    }

    public String getKind() {
        return kind;
    }

    public String getItemId() {
        return itemId;
    }

    public String getItemKey() {
        return itemKey;
    }

    public String getText() {
        return text;
    }

    public String getWindowKey() {
        return windowKey;
    }

    public String getMetric() {
        return metric;
    }

    public String getComparator() {
        return comparator;
    }

    public Double getThreshold() {
        return threshold;
    }

    public String getUnit() {
        return unit;
    }

    public String getAggregation() {
        return aggregation;
    }

    public String getRelative() {
        return relative;
    }

    public Double getBaseline() {
        return baseline;
    }

    public String getBaselineSource() {
        return baselineSource;
    }

    public String getEvaluationInterval() {
        return evaluationInterval;
    }

    public String getInitialDelay() {
        return initialDelay;
    }

    public int getFailureLimit() {
        return failureLimit;
    }

    public int getInconclusiveLimit() {
        return inconclusiveLimit;
    }

    public String getLookback() {
        return lookback;
    }

    public String getSustainedFor() {
        return sustainedFor;
    }

    public String getBaselinePeriod() {
        return baselinePeriod;
    }

    public String getQuery() {
        return query;
    }

    public String getQueryUnit() {
        return queryUnit;
    }

    public List<String> getAlertNames() {
        return alertNames;
    }

    public String getVerdict() {
        return verdict;
    }

    public boolean isTerminal() {
        return terminal;
    }

    public boolean isSamplesFiring() {
        return samplesFiring;
    }

    public List<String> getAlertFingerprints() {
        return alertFingerprints;
    }

    public Double getCurrentValue() {
        return currentValue;
    }

    public Double getEffectiveThreshold() {
        return effectiveThreshold;
    }

    public int getConsecutiveFailures() {
        return consecutiveFailures;
    }

    public int getConsecutiveInconclusive() {
        return consecutiveInconclusive;
    }

    public Instant getLastEvaluatedAt() {
        return lastEvaluatedAt;
    }

    public Instant getNextEvaluationAt() {
        return nextEvaluationAt;
    }

    public List<EvaluationRecord> getEvaluations() {
        return evaluations;
    }
}
