package io.liftoff.monitoring.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.liftoff.common.outbox.Outbox;
import io.liftoff.common.outbox.OutboxEvent;
import io.liftoff.monitoring.config.MonitoringProperties;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The monitoring of one release: its windows, its checks and their state, the checklist changes still owed to
 * checklist-service, and the outbox of its events. One document per release, so that a state change and the event
 * announcing it are one write.
 */
@Document(ReleaseMonitoring.COLLECTION)
public class ReleaseMonitoring {

    public static final String COLLECTION = "monitoring";
    public static final String ACTOR = "monitoring-service";

    public enum Status {
        ACTIVE, COMPLETED
    }

    @Id
    private String id;
    private String product;
    private String version;
    private Status status;
    private Instant deployedAt;
    private Instant startedAt;
    private Instant endsAt;
    private List<MonitoringWindow> windows = new ArrayList<>();
    private List<MonitoredCheck> checks = new ArrayList<>();
    private Instant nextDueAt;
    private Instant rollbackSince;
    private List<PendingItemUpdate> itemUpdates = new ArrayList<>();
    private Outbox outbox = new Outbox();
    @Version
    private Long lockVersion;

    ReleaseMonitoring() {
    }

    /** Windows from the sections that name one, their METRIC items as checks, every TRIGGER item as a check. */
    static ReleaseMonitoring start(ReleaseSnapshot release, MonitoringProperties.Defaults defaults, Instant now) {
        ReleaseMonitoring monitoring = new ReleaseMonitoring();
        monitoring.id = release.id();
        monitoring.product = release.product();
        monitoring.version = release.version();
        monitoring.status = Status.ACTIVE;
        monitoring.deployedAt = release.deployedAt();
        monitoring.startedAt = now;
        Instant end = release.deployedAt();
        for (ReleaseSnapshot.WindowSpec spec : release.windows()) {
            MonitoringWindow window = new MonitoringWindow(spec.key(), spec.title(), spec.duration(),
                    release.deployedAt());
            monitoring.windows.add(window);
            end = end.isAfter(window.getClosesAt()) ? end : window.getClosesAt();
        }
        monitoring.endsAt = end;
        for (ReleaseSnapshot.ItemSpec item : release.items()) {
            if (MonitoredCheck.TRIGGER.equals(item.kind())) {
                monitoring.checks.add(MonitoredCheck.of(item, null, defaults));
            }
            else if (MonitoredCheck.METRIC.equals(item.kind()) && item.target() != null) {
                windowOf(release.windows(), item.section())
                        .ifPresent(window -> monitoring.checks.add(MonitoredCheck.of(item, window.key(), defaults)));
            }
        }
        for (MonitoredCheck check : monitoring.checks) {
            check.setNextEvaluationAt(check.isMeasurable()
                    ? latest(now, release.deployedAt().plus(check.initialDelayDuration())) : null);
        }
        monitoring.recomputeDue(now);
        return monitoring;
    }

    /** The innermost window whose section holds the item's section. */
    private static Optional<ReleaseSnapshot.WindowSpec> windowOf(List<ReleaseSnapshot.WindowSpec> windows,
            String section) {
        if (section == null) {
            return Optional.empty();
        }
        return windows.stream()
                .filter(window -> section.equals(window.key()) || section.startsWith(window.key() + "/"))
                .max((a, b) -> Integer.compare(a.key().length(), b.key().length()));
    }

    // ---------------------------------------------------------------- evaluations

    /**
     * Applies one evaluation of a check: consecutive counts, the check's verdict, and what follows from it (a failed
     * target blocks its item and raises {@code metric.breached}; a trigger that starts firing raises
     * {@code rollback.triggered}, once per firing).
     */
    void applyEvaluation(MonitoredCheck check, EvaluationRecord record, Double baselineFound, Instant now,
            MonitoringProperties properties, String evidenceUrl) {
        if (baselineFound != null && check.getBaseline() == null) {
            check.baselineFromSamples(baselineFound);
        }
        check.recordEvaluation(record, properties.recentEvaluations());
        switch (record.verdict()) {
            case PASS -> {
                check.setConsecutiveFailures(0);
                check.setConsecutiveInconclusive(0);
            }
            case FAIL -> {
                check.setConsecutiveFailures(check.getConsecutiveFailures() + 1);
                check.setConsecutiveInconclusive(0);
            }
            case INCONCLUSIVE -> check.setConsecutiveInconclusive(check.getConsecutiveInconclusive() + 1);
        }
        boolean inconclusive = record.verdict() == EvaluationRecord.Verdict.INCONCLUSIVE
                && check.getConsecutiveInconclusive() >= check.getInconclusiveLimit();
        if (check.isTrigger()) {
            boolean wasFiring = check.isFiring();
            if (record.verdict() == EvaluationRecord.Verdict.FAIL
                    && check.getConsecutiveFailures() >= check.getFailureLimit()) {
                check.setSamplesFiring(true);
            }
            else if (record.verdict() == EvaluationRecord.Verdict.PASS) {
                check.setSamplesFiring(false);
            }
            updateTriggerVerdict(check, inconclusive);
            if (!wasFiring && check.isFiring()) {
                raiseRollback(check, record, now);
            }
        }
        else if (record.verdict() == EvaluationRecord.Verdict.FAIL
                && check.getConsecutiveFailures() >= check.getFailureLimit()) {
            check.setVerdict("FAIL");
            check.setTerminal(true);
            check.setNextEvaluationAt(null);
            Map<String, Object> data = checkData(check, record);
            data.put("window", check.getWindowKey());
            outbox.add(OutboxEvent.of("metric.breached", id, product, ACTOR, data, now));
            itemUpdates.add(new PendingItemUpdate(check.getItemId(), "BLOCKED",
                    note("Target breached", check, record), evidenceUrl, now));
        }
        else if (record.verdict() == EvaluationRecord.Verdict.PASS) {
            check.setVerdict("PASS");
        }
        else if (inconclusive) {
            check.setVerdict("INCONCLUSIVE");
        }
        if (!check.isTerminal()) {
            Instant next = now.plus(check.interval());
            Instant stop = check.isTrigger() ? endsAt : window(check.getWindowKey()).getClosesAt();
            check.setNextEvaluationAt(next.isBefore(stop) ? next : null);
        }
        recomputeDue(now);
    }

    private static void updateTriggerVerdict(MonitoredCheck check, boolean inconclusive) {
        if (check.isFiring()) {
            check.setVerdict("FAIL");
        }
        else if (inconclusive) {
            check.setVerdict("INCONCLUSIVE");
        }
        else if (!check.getEvaluations().isEmpty()
                && check.getEvaluations().get(check.getEvaluations().size() - 1).verdict()
                        == EvaluationRecord.Verdict.PASS) {
            check.setVerdict("PASS");
        }
    }

    /**
     * A firing or resolved Alertmanager alert for a TRIGGER check; the same fingerprint counts once. Returns whether
     * the check started ({@code true}) or stopped ({@code false}) firing, or null when nothing changed.
     */
    Boolean applyAlert(MonitoredCheck check, String fingerprint, boolean firing, String alertName, Instant now,
            MonitoringProperties properties) {
        boolean wasFiring = check.isFiring();
        List<String> fingerprints = check.getAlertFingerprints();
        if (firing == fingerprints.contains(fingerprint)) {
            return null;
        }
        if (firing) {
            fingerprints.add(fingerprint);
        }
        else {
            fingerprints.remove(fingerprint);
        }
        EvaluationRecord record = new EvaluationRecord(now,
                firing ? EvaluationRecord.Verdict.FAIL : EvaluationRecord.Verdict.PASS, null, null, "ALERTMANAGER",
                null, "Alert " + alertName + (firing ? " firing" : " resolved") + " (" + fingerprints.size()
                        + " alert(s) firing for this trigger)");
        check.recordEvaluation(record, properties.recentEvaluations());
        updateTriggerVerdict(check, false);
        if (!check.isFiring() && !check.isSamplesFiring()) {
            check.setVerdict("PASS");
        }
        if (!wasFiring && check.isFiring()) {
            raiseRollback(check, record, now);
        }
        recomputeDue(now);
        return wasFiring == check.isFiring() ? null : check.isFiring();
    }

    private void raiseRollback(MonitoredCheck check, EvaluationRecord record, Instant now) {
        if (rollbackSince == null) {
            rollbackSince = now;
        }
        Map<String, Object> data = checkData(check, record);
        data.put("trigger", check.getText());
        outbox.add(OutboxEvent.of("rollback.triggered", id, product, ACTOR, data, now));
    }

    private static Map<String, Object> checkData(MonitoredCheck check, EvaluationRecord record) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("checkId", check.getId());
        data.put("itemId", check.getItemId());
        data.put("itemKey", check.getItemKey());
        data.put("text", check.getText());
        data.put("metric", check.getMetric());
        data.put("comparator", check.getComparator());
        data.put("value", record.value());
        data.put("threshold", record.threshold() != null ? record.threshold() : check.getThreshold());
        data.put("unit", check.getUnit());
        data.put("source", record.source());
        data.put("evaluations", check.recent(10).stream().map(EvaluationRecord::asEventData).toList());
        return data;
    }

    // ---------------------------------------------------------------- windows

    /**
     * Closes a window after the final evaluations of its checks (as of its end): PASS when every check passes (its
     * items are ticked DONE), FAIL when one failed, otherwise INCONCLUSIVE (nothing is ticked).
     */
    void closeWindow(MonitoringWindow window, Instant now, String evidenceUrl) {
        List<MonitoredCheck> inWindow = checksOf(window);
        String verdict;
        if (inWindow.isEmpty()) {
            verdict = "INCONCLUSIVE";
        }
        else if (inWindow.stream().anyMatch(check -> "FAIL".equals(check.getVerdict()))) {
            verdict = "FAIL";
        }
        else if (inWindow.stream().allMatch(check -> "PASS".equals(check.getVerdict()))) {
            verdict = "PASS";
        }
        else {
            verdict = "INCONCLUSIVE";
        }
        for (MonitoredCheck check : inWindow) {
            check.setNextEvaluationAt(null);
            if (!check.isTerminal() && !"PASS".equals(check.getVerdict())) {
                check.setVerdict("INCONCLUSIVE");
            }
            check.setTerminal(true);
            if ("PASS".equals(verdict)) {
                EvaluationRecord last = check.getEvaluations().get(check.getEvaluations().size() - 1);
                itemUpdates.add(new PendingItemUpdate(check.getItemId(), "DONE",
                        note("Window " + window.getTitle() + " passed", check, last), evidenceUrl, now));
            }
        }
        window.close(verdict);
        recomputeDue(now);
    }

    List<MonitoredCheck> checksOf(MonitoringWindow window) {
        return checks.stream().filter(check -> window.getKey().equals(check.getWindowKey())).toList();
    }

    private static String note(String headline, MonitoredCheck check, EvaluationRecord record) {
        long evaluations = check.getEvaluations().size();
        long passed = check.getEvaluations().stream()
                .filter(e -> e.verdict() == EvaluationRecord.Verdict.PASS).count();
        String text = headline + " (monitoring-service): " + record.reason() + ". Recent evaluations: " + passed
                + " of " + evaluations + " passed.";
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }

    // ---------------------------------------------------------------- scheduling

    /** The earliest moment something is due: an evaluation, a window end, a checklist update, the end. */
    void recomputeDue(Instant now) {
        Instant due = null;
        for (MonitoredCheck check : checks) {
            if (!check.isTerminal()) {
                due = earliest(due, check.getNextEvaluationAt());
            }
        }
        for (MonitoringWindow window : windows) {
            if (!window.isClosed()) {
                due = earliest(due, window.getClosesAt());
            }
        }
        for (PendingItemUpdate update : itemUpdates) {
            due = earliest(due, update.getNextAttemptAt());
        }
        if (status == Status.ACTIVE) {
            if (due == null && !now.isBefore(endsAt) && windows.stream().allMatch(MonitoringWindow::isClosed)) {
                status = Status.COMPLETED;
            }
            else {
                due = earliest(due, endsAt);
            }
        }
        nextDueAt = due;
    }

    /** Checks due for evaluation at {@code now}. */
    List<MonitoredCheck> dueChecks(Instant now) {
        return checks.stream().filter(check -> !check.isTerminal() && check.getNextEvaluationAt() != null
                && !check.getNextEvaluationAt().isAfter(now)).toList();
    }

    List<MonitoringWindow> windowsToClose(Instant now) {
        return windows.stream().filter(window -> !window.isClosed() && !window.getClosesAt().isAfter(now)).toList();
    }

    void itemUpdateDone(String itemId, String state) {
        itemUpdates.removeIf(update -> update.getItemId().equals(itemId) && update.getState().equals(state));
    }

    void itemUpdateLater(String itemId, String state, Instant next) {
        itemUpdates.stream().filter(update -> update.getItemId().equals(itemId) && update.getState().equals(state))
                .forEach(update -> update.retryAt(next));
    }

    public MonitoredCheck check(String checkId) {
        return checks.stream().filter(check -> check.getId().equals(checkId)).findFirst().orElse(null);
    }

    MonitoringWindow window(String key) {
        return windows.stream().filter(window -> window.getKey().equals(key)).findFirst().orElseThrow();
    }

    void rescheduleAfterSettingsChange(MonitoredCheck check, Instant now) {
        if (check.isTerminal() || !check.isMeasurable()) {
            return;
        }
        Instant first = deployedAt.plus(check.initialDelayDuration());
        Instant next = check.getLastEvaluatedAt() == null ? first : check.getLastEvaluatedAt().plus(check.interval());
        check.setNextEvaluationAt(latest(now, next));
        recomputeDue(now);
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    public boolean isRollbackRecommended() {
        return rollbackSince != null;
    }

    public List<String> firingTriggers() {
        return checks.stream().filter(MonitoredCheck::isTrigger).filter(MonitoredCheck::isFiring)
                .map(MonitoredCheck::getId).toList();
    }

    public Duration timeLeft(MonitoringWindow window, Instant now) {
        Duration left = Duration.between(now, window.getClosesAt());
        return left.isNegative() || window.isClosed() ? Duration.ZERO : left;
    }

    public String getId() {
        return id;
    }

    public String getProduct() {
        return product;
    }

    public String getVersion() {
        return version;
    }

    public Status getStatus() {
        return status;
    }

    public Instant getDeployedAt() {
        return deployedAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getEndsAt() {
        return endsAt;
    }

    public List<MonitoringWindow> getWindows() {
        return windows;
    }

    public List<MonitoredCheck> getChecks() {
        return checks;
    }

    public Instant getNextDueAt() {
        return nextDueAt;
    }

    public Instant getRollbackSince() {
        return rollbackSince;
    }

    public List<PendingItemUpdate> getItemUpdates() {
        return itemUpdates;
    }

    public Outbox getOutbox() {
        return outbox;
    }

    public Long getLockVersion() {
        return lockVersion;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReleaseMonitoring that && Objects.equals(id, that.id);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }
}
