package io.liftoff.monitoring.monitoring;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.liftoff.monitoring.api.model.Baseline;
import io.liftoff.monitoring.api.model.Check;
import io.liftoff.monitoring.api.model.CheckSettings;
import io.liftoff.monitoring.api.model.Evaluation;
import io.liftoff.monitoring.api.model.EvaluationVerdict;
import io.liftoff.monitoring.api.model.Monitoring;
import io.liftoff.monitoring.api.model.Rollback;
import io.liftoff.monitoring.api.model.SampleUnit;
import io.liftoff.monitoring.api.model.Verdict;
import io.liftoff.monitoring.api.model.Window;

/** The stored monitoring as the contract shows it. */
final class MonitoringMapper {

    private MonitoringMapper() {
    }

    static Monitoring toApi(ReleaseMonitoring monitoring, Instant now) {
        Monitoring api = new Monitoring().releaseId(monitoring.getId()).product(monitoring.getProduct())
                .version(monitoring.getVersion())
                .status(Monitoring.StatusEnum.fromValue(monitoring.getStatus().name()))
                .deployedAt(time(monitoring.getDeployedAt())).startedAt(time(monitoring.getStartedAt()))
                .endsAt(time(monitoring.getEndsAt())).rollbackRecommended(monitoring.isRollbackRecommended())
                .rollback(new Rollback().recommended(monitoring.isRollbackRecommended())
                        .since(time(monitoring.getRollbackSince())).firingTriggers(monitoring.firingTriggers()));
        for (MonitoringWindow window : monitoring.getWindows()) {
            Window apiWindow = new Window().key(window.getKey()).title(window.getTitle())
                    .duration(window.getDuration()).opensAt(time(window.getOpensAt()))
                    .closesAt(time(window.getClosesAt())).closed(window.isClosed())
                    .timeLeftSeconds(monitoring.timeLeft(window, now).toSeconds())
                    .verdict(Verdict.fromValue(window.getVerdict()));
            monitoring.checksOf(window).forEach(check -> apiWindow.addChecksItem(toApi(check)));
            api.addWindowsItem(apiWindow);
        }
        monitoring.getChecks().stream().filter(MonitoredCheck::isTrigger)
                .forEach(check -> api.addTriggersItem(toApi(check)));
        return api;
    }

    static Check toApi(MonitoredCheck check) {
        Check api = new Check().id(check.getId()).kind(Check.KindEnum.fromValue(check.getKind()))
                .itemId(check.getItemId()).itemKey(check.getItemKey()).text(check.getText())
                .metric(check.getMetric()).threshold(check.getThreshold()).unit(check.getUnit())
                .aggregation(check.getAggregation())
                .verdict(Verdict.fromValue(check.getVerdict())).currentValue(check.getCurrentValue())
                .effectiveThreshold(check.getEffectiveThreshold())
                .consecutiveFailures(check.getConsecutiveFailures())
                .consecutiveInconclusive(check.getConsecutiveInconclusive())
                .lastEvaluatedAt(time(check.getLastEvaluatedAt())).nextEvaluationAt(time(check.getNextEvaluationAt()))
                .settings(new CheckSettings().evaluationInterval(check.getEvaluationInterval())
                        .initialDelay(check.getInitialDelay()).failureLimit(check.getFailureLimit())
                        .inconclusiveLimit(check.getInconclusiveLimit()).lookback(check.getLookback())
                        .sustainedFor(check.getSustainedFor()).baselinePeriod(check.getBaselinePeriod())
                        .query(check.getQuery())
                        .queryUnit(check.getQueryUnit() == null ? null : SampleUnit.fromValue(check.getQueryUnit()))
                        .alertNames(check.getAlertNames()));
        if (check.getComparator() != null) {
            api.comparator(Check.ComparatorEnum.fromValue(check.getComparator()));
        }
        if (check.getRelative() != null) {
            api.relative(Check.RelativeEnum.fromValue(check.getRelative()));
            api.baseline(new Baseline().value(check.getBaseline()).period(check.getBaselinePeriod())
                    .source(check.getBaselineSource() == null ? null
                            : Baseline.SourceEnum.fromValue(check.getBaselineSource())));
        }
        if (check.isTrigger()) {
            api.firing(check.isFiring()).firingAlerts(check.getAlertFingerprints().size());
        }
        for (EvaluationRecord record : check.getEvaluations()) {
            api.addEvaluationsItem(new Evaluation().at(time(record.at()))
                    .verdict(EvaluationVerdict.fromValue(record.verdict().name())).value(record.value())
                    .threshold(record.threshold()).source(Evaluation.SourceEnum.fromValue(record.source()))
                    .samples(record.samples()).reason(record.reason()));
        }
        return api;
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
