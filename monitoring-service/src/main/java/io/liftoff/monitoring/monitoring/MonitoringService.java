package io.liftoff.monitoring.monitoring;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.liftoff.common.outbox.OutboxRelay;
import io.liftoff.common.outbox.RelayHints;
import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.monitoring.config.MonitoringProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Monitoring of releases: starting it, reading it, changing check settings, and the scheduled work (evaluations under
 * a lease per check, window closing, the checklist updates owed). Every change is one optimistic single-document
 * write of the release's monitoring, retried when someone else (another check, the outbox relay) wrote in between.
 */
@Service
public class MonitoringService {

    public static final URI NOT_STARTED = ProblemTypes.of("monitoring-not-started");
    public static final URI NOT_DEPLOYED = ProblemTypes.of("release-not-deployed");
    public static final URI INVALID_SETTING = ProblemTypes.of("invalid-setting");

    private static final Logger log = LoggerFactory.getLogger(MonitoringService.class);
    private static final int WRITE_ATTEMPTS = 20;

    private final MongoTemplate mongo;
    private final ChecklistPort checklist;
    private final CheckEvaluator evaluator;
    private final MonitoringProperties properties;
    private final Clock clock;
    private final Leases leases;
    private final RelayHints relay;
    private final ApplicationEventPublisher events;

    public MonitoringService(MongoTemplate mongo, ChecklistPort checklist, CheckEvaluator evaluator,
            MonitoringProperties properties, Clock clock, Leases leases, ObjectProvider<OutboxRelay> relay,
            ApplicationEventPublisher events) {
        this.events = events;
        this.mongo = mongo;
        this.checklist = checklist;
        this.evaluator = evaluator;
        this.properties = properties;
        this.clock = clock;
        this.leases = leases;
        this.relay = new RelayHints(relay);
    }

    public record Started(ReleaseMonitoring monitoring, boolean created) {
    }

    // ---------------------------------------------------------------- API

    /** Starts monitoring (idempotent); {@code user} null for the platform's own event. */
    public Started start(CurrentUser user, String releaseId) {
        ReleaseMonitoring existing = find(releaseId);
        if (existing != null) {
            if (user != null && !user.canWrite(existing.getProduct())) {
                throw ProblemException.notFound("Release", releaseId);
            }
            return new Started(existing, false);
        }
        ReleaseSnapshot release = checklist.read(releaseId);
        if (user != null && !user.canWrite(release.product())) {
            throw ProblemException.notFound("Release", releaseId);
        }
        if (!"MONITORING".equals(release.status()) || release.deployedAt() == null) {
            throw ProblemException.conflict(NOT_DEPLOYED, "Release not deployed",
                    "Release " + releaseId + " is " + release.status()
                            + "; monitoring starts when it is in MONITORING with a deployment time")
                    .with("status", release.status());
        }
        ReleaseMonitoring monitoring = ReleaseMonitoring.start(release, properties.defaults(), clock.instant());
        try {
            mongo.insert(monitoring);
        }
        catch (DuplicateKeyException ex) {
            return new Started(find(releaseId), false);
        }
        log.info("Monitoring release {} {} {}: {} windows, {} checks, until {}", releaseId, release.product(),
                release.version(), monitoring.getWindows().size(), monitoring.getChecks().size(),
                monitoring.getEndsAt());
        return new Started(monitoring, true);
    }

    public ReleaseMonitoring get(CurrentUser user, String releaseId) {
        ReleaseMonitoring monitoring = find(releaseId);
        if (monitoring == null || !user.canRead(monitoring.getProduct())) {
            throw new ProblemException(HttpStatus.NOT_FOUND, NOT_STARTED, "Not monitored",
                    "Release '" + releaseId + "' is not monitored or not visible to you");
        }
        return monitoring;
    }

    public ReleaseMonitoring find(String releaseId) {
        return mongo.findById(releaseId, ReleaseMonitoring.class);
    }

    public MonitoredCheck updateCheck(CurrentUser user, String releaseId, String checkId, SettingsChange change) {
        ReleaseMonitoring visible = get(user, releaseId);
        if (!user.canWrite(visible.getProduct())) {
            throw ProblemException.notFound("Release", releaseId);
        }
        validate(change, visible.check(checkId));
        MonitoredCheck changed = mutate(releaseId, monitoring -> {
            MonitoredCheck check = monitoring.check(checkId);
            if (check == null) {
                throw ProblemException.notFound("Check", checkId);
            }
            apply(check, change);
            monitoring.rescheduleAfterSettingsChange(check, clock.instant());
            return check;
        });
        events.publishEvent(new ChecksChanged(releaseId));
        return changed;
    }

    private void validate(SettingsChange change, MonitoredCheck check) {
        if (check == null) {
            return;
        }
        positive("evaluationInterval", change.evaluationInterval(), Duration.ofSeconds(1));
        notNegative("initialDelay", change.initialDelay());
        positive("lookback", change.lookback(), Duration.ofSeconds(1));
        positive("sustainedFor", change.sustainedFor(), Duration.ofSeconds(1));
        positive("baselinePeriod", change.baselinePeriod(), Duration.ofSeconds(1));
        if (change.baselinePeriod() != null && change.baselinePeriod().compareTo(properties.earliestSample()) > 0) {
            throw invalid("baselinePeriod", "must not exceed " + properties.earliestSample()
                    + ", the oldest samples accepted before deployment");
        }
        if (change.baseline() != null) {
            if (!check.isRelative()) {
                throw invalid("baseline", "check " + check.getId() + " has no relative target");
            }
            if (!Double.isFinite(change.baseline()) || change.baseline() <= 0) {
                throw invalid("baseline", "must be a positive finite number");
            }
        }
        if ((change.alertNames() != null && !change.alertNames().isEmpty()) && !check.isTrigger()) {
            throw invalid("alertNames", "only TRIGGER checks are fired by alerts");
        }
        if (change.query() != null && change.query().isBlank()) {
            throw invalid("query", "must not be blank (clear it with \"clear\": [\"query\"])");
        }
        if (change.queryUnit() != null && check.getUnit() != null && !check.isRelative()) {
            Units target = Units.of(check.getUnit());
            Units query = Units.of(change.queryUnit());
            if (target != null && query != null && target.dimension() != query.dimension()) {
                throw invalid("queryUnit", "'" + change.queryUnit() + "' does not measure what '" + check.getUnit()
                        + "' measures");
            }
        }
    }

    private void apply(MonitoredCheck check, SettingsChange change) {
        if (change.clear() != null) {
            change.clear().forEach(setting -> check.reset(setting, properties.defaults()));
        }
        if (change.evaluationInterval() != null) {
            check.setEvaluationInterval(change.evaluationInterval());
        }
        if (change.initialDelay() != null) {
            check.setInitialDelay(change.initialDelay());
        }
        if (change.failureLimit() != null) {
            check.setFailureLimit(change.failureLimit());
        }
        if (change.inconclusiveLimit() != null) {
            check.setInconclusiveLimit(change.inconclusiveLimit());
        }
        if (change.lookback() != null) {
            check.setLookback(change.lookback());
        }
        if (change.sustainedFor() != null) {
            check.setSustainedFor(change.sustainedFor());
        }
        if (change.baselinePeriod() != null) {
            check.setBaselinePeriod(change.baselinePeriod());
        }
        if (change.baseline() != null) {
            check.pinBaseline(change.baseline());
        }
        if (change.query() != null) {
            check.setQuery(change.query().trim());
        }
        if (change.queryUnit() != null) {
            check.setQueryUnit(change.queryUnit());
        }
        if (change.alertNames() != null) {
            check.setAlertNames(change.alertNames());
        }
    }

    private static void positive(String field, Duration value, Duration minimum) {
        if (value != null && value.compareTo(minimum) < 0) {
            throw invalid(field, "must be at least " + minimum);
        }
    }

    private static void notNegative(String field, Duration value) {
        if (value != null && value.isNegative()) {
            throw invalid(field, "must not be negative");
        }
    }

    private static ProblemException invalid(String field, String message) {
        return ProblemException.badRequest(INVALID_SETTING, "Invalid setting", field + " " + message)
                .with("field", field);
    }

    // ---------------------------------------------------------------- scheduled work

    /** Everything due for one release: evaluations, windows to close, checklist updates. */
    public void runDue(String releaseId) {
        ReleaseMonitoring monitoring = find(releaseId);
        if (monitoring == null) {
            return;
        }
        Instant now = clock.instant();
        evaluate(releaseId, monitoring.dueChecks(now).stream().map(MonitoredCheck::getId).toList(), false);
        closeWindows(releaseId);
        flushItemUpdates(releaseId);
        // Nothing left to do now (e.g. the end passed): a fresh due time, written only when it changed.
        ReleaseMonitoring after = find(releaseId);
        Instant due = after.getNextDueAt();
        ReleaseMonitoring.Status status = after.getStatus();
        after.recomputeDue(clock.instant());
        if (!Objects.equals(due, after.getNextDueAt()) || status != after.getStatus()) {
            mutate(releaseId, fresh -> {
                fresh.recomputeDue(clock.instant());
                return null;
            });
        }
    }

    /**
     * Evaluates the given checks, each under its lease: a check another replica is evaluating is skipped (it will
     * write the result). {@code force}: evaluate even when not yet due (a breaching sample arrived). The results of
     * all the checks are one write.
     */
    public List<String> evaluate(String releaseId, Collection<String> checkIds, boolean force) {
        List<String> held = new ArrayList<>();
        for (String checkId : checkIds) {
            if (leases.acquire(checkLease(releaseId, checkId))) {
                held.add(checkId);
            }
        }
        if (held.isEmpty()) {
            return List.of();
        }
        try {
            ReleaseMonitoring monitoring = find(releaseId);
            if (monitoring == null) {
                return List.of();
            }
            Instant now = clock.instant();
            Map<String, CheckEvaluator.Outcome> outcomes = new LinkedHashMap<>();
            for (String checkId : held) {
                MonitoredCheck check = monitoring.check(checkId);
                if (check != null && !check.isTerminal() && check.isMeasurable() && check.getNextEvaluationAt() != null
                        && (force || !check.getNextEvaluationAt().isAfter(now))) {
                    outcomes.put(checkId, evaluator.evaluate(releaseId, monitoring.getDeployedAt(), check, now));
                }
            }
            if (outcomes.isEmpty()) {
                return List.of();
            }
            boolean raised = mutate(releaseId, fresh -> {
                int before = fresh.getOutbox().getPending().size();
                outcomes.forEach((checkId, outcome) -> {
                    MonitoredCheck current = fresh.check(checkId);
                    if (!current.isTerminal()) {
                        fresh.applyEvaluation(current, outcome.record(), outcome.baselineFound(), now, properties,
                                evidenceUrl(releaseId, checkId));
                    }
                });
                return fresh.getOutbox().getPending().size() > before;
            });
            if (raised) {
                relay.wakeAll();
            }
            if (outcomes.values().stream().anyMatch(outcome -> outcome.baselineFound() != null)) {
                events.publishEvent(new ChecksChanged(releaseId));
            }
            return List.copyOf(outcomes.keySet());
        }
        finally {
            held.forEach(checkId -> leases.release(checkLease(releaseId, checkId)));
        }
    }

    private static String checkLease(String releaseId, String checkId) {
        return "check:" + releaseId + ":" + checkId;
    }

    private void closeWindows(String releaseId) {
        ReleaseMonitoring monitoring = find(releaseId);
        Instant now = clock.instant();
        for (MonitoringWindow window : monitoring.windowsToClose(now)) {
            String lease = "window:" + releaseId + ":" + window.getKey();
            if (!leases.acquire(lease)) {
                continue;
            }
            List<String> checkLeases = new ArrayList<>();
            try {
                List<MonitoredCheck> open = monitoring.checksOf(window).stream().filter(c -> !c.isTerminal())
                        .toList();
                for (MonitoredCheck check : open) {
                    String checkLease = checkLease(releaseId, check.getId());
                    if (!leases.acquire(checkLease)) {
                        return;
                    }
                    checkLeases.add(checkLease);
                }
                // The final evaluation of each open check, as of the window's end (also after a restart past it).
                List<CheckEvaluator.Outcome> finals = new ArrayList<>();
                for (MonitoredCheck check : open) {
                    finals.add(evaluator.evaluate(releaseId, monitoring.getDeployedAt(), check,
                            window.getClosesAt()));
                }
                String evidence = evidenceUrl(releaseId, null);
                mutate(releaseId, fresh -> {
                    MonitoringWindow current = fresh.window(window.getKey());
                    if (current.isClosed()) {
                        return null;
                    }
                    for (int i = 0; i < open.size(); i++) {
                        MonitoredCheck check = fresh.check(open.get(i).getId());
                        if (!check.isTerminal()) {
                            fresh.applyEvaluation(check, finals.get(i).record(), finals.get(i).baselineFound(),
                                    window.getClosesAt(), properties, evidenceUrl(releaseId, check.getId()));
                        }
                    }
                    fresh.closeWindow(current, clock.instant(), evidence);
                    log.info("Window {} of release {} closed: {}", current.getKey(), releaseId, current.getVerdict());
                    return null;
                });
                relay.wakeAll();
            }
            finally {
                checkLeases.forEach(leases::release);
                leases.release(lease);
            }
        }
    }

    private void flushItemUpdates(String releaseId) {
        ReleaseMonitoring monitoring = find(releaseId);
        Instant now = clock.instant();
        List<PendingItemUpdate> due = monitoring.getItemUpdates().stream()
                .filter(update -> !update.getNextAttemptAt().isAfter(now)).toList();
        if (due.isEmpty()) {
            return;
        }
        String lease = "items:" + releaseId;
        if (!leases.acquire(lease)) {
            return;
        }
        try {
            for (PendingItemUpdate update : due) {
                ChecklistPort.WriteOutcome outcome = checklist.setItemState(releaseId, update.getItemId(),
                        update.getState(), update.getNote(), update.getEvidence());
                mutate(releaseId, fresh -> {
                    switch (outcome) {
                        case DONE -> fresh.itemUpdateDone(update.getItemId(), update.getState());
                        case REFUSED -> {
                            log.warn("checklist-service refused {} for item {} of {}; dropped", update.getState(),
                                    update.getItemId(), releaseId);
                            fresh.itemUpdateDone(update.getItemId(), update.getState());
                        }
                        case RETRY -> fresh.itemUpdateLater(update.getItemId(), update.getState(),
                                clock.instant().plus(backoff(update.getAttempts())));
                    }
                    fresh.recomputeDue(clock.instant());
                    return null;
                });
            }
        }
        finally {
            leases.release(lease);
        }
    }

    private static Duration backoff(int attempts) {
        return Duration.ofSeconds(Math.min(300, 5L << Math.min(6, attempts)));
    }

    // ---------------------------------------------------------------- samples and alerts

    /** A firing or resolved alert for a trigger check; true: started firing, false: stopped, null: no change. */
    public Boolean applyAlert(String releaseId, String checkId, String fingerprint, boolean firing, String alertName) {
        Boolean changed = mutate(releaseId, monitoring -> monitoring.applyAlert(monitoring.check(checkId),
                fingerprint, firing, alertName, clock.instant(), properties));
        if (Boolean.TRUE.equals(changed)) {
            relay.wakeAll();
        }
        return changed;
    }

    /** Monitorings still running, for the Alertmanager mapping by product. */
    public List<ReleaseMonitoring> activeOfProduct(String product) {
        return mongo.find(Query.query(Criteria.where("product").is(product).and("status")
                .is(ReleaseMonitoring.Status.ACTIVE.name())), ReleaseMonitoring.class);
    }

    private String evidenceUrl(String releaseId, String checkId) {
        String base = properties.publicUrl().toString().replaceAll("/+$", "");
        return base + "/api/releases/" + releaseId + "/monitoring" + (checkId == null ? "" : "#check-" + checkId);
    }

    /** Read, change, save with the version check; again from a fresh read when someone else wrote in between. */
    <T> T mutate(String releaseId, Function<ReleaseMonitoring, T> change) {
        for (int attempt = 1;; attempt++) {
            ReleaseMonitoring monitoring = find(releaseId);
            if (monitoring == null) {
                throw new ProblemException(HttpStatus.NOT_FOUND, NOT_STARTED, "Not monitored",
                        "Release '" + releaseId + "' is not monitored");
            }
            T result = change.apply(monitoring);
            try {
                mongo.save(monitoring);
                return result;
            }
            catch (OptimisticLockingFailureException ex) {
                if (attempt >= WRITE_ATTEMPTS) {
                    throw ex;
                }
            }
        }
    }
}
