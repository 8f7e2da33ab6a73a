package io.liftoff.monitoring.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.liftoff.common.testing.Api;
import io.liftoff.monitoring.support.AbstractIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RollbackTriggerIT extends AbstractIntegrationTest {

    @Test
    void aBreachingSampleRaisesRollbackTriggeredAtOnceAndOnlyOncePerFiring() {
        Instant deployed = CLOCK.instant();
        String id = monitoredRelease(deployed);
        String trigger = checkId(id, "critical-system-issues/api-error-rate");
        CLOCK.advance(Duration.ofMinutes(1));

        Api.Response pushed = push(id, eli(), sample("api_error_rate", 2.5, "%", CLOCK.instant()));

        assertThat(pushed.json().path("evaluating")).extracting(JsonNode::asString).containsExactly(trigger);
        await().atMost(Duration.ofSeconds(5)).until(() -> events(id, "rollback.triggered").size() == 1);
        JsonNode data = events(id, "rollback.triggered").get(0).path("data");
        assertThat(data.path("trigger").asString()).isEqualTo("API error rate >1%");
        assertThat(data.path("itemKey").asString()).endsWith("critical-system-issues/api-error-rate");
        assertThat(data.path("value").asDouble()).isEqualTo(2.5);
        assertThat(data.path("threshold").asDouble()).isEqualTo(1.0);
        assertThat(data.path("evaluations")).hasSize(1);
        assertThat(data.path("evaluations").get(0).path("verdict").asString()).isEqualTo("FAIL");

        // Still firing: more evaluations, no second alert.
        CLOCK.advance(Duration.ofMinutes(1));
        push(id, eli(), sample("api_error_rate", 0.04, "ratio", CLOCK.instant()));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> monitoring.find(id).check(trigger).getEvaluations().size() == 2);
        JsonNode shown = api.get("/api/releases/" + id + "/monitoring", viewer()).json();
        assertThat(shown.path("rollbackRecommended").asBoolean()).isTrue();
        assertThat(shown.path("rollback").path("firingTriggers")).extracting(JsonNode::asString)
                .containsExactly(trigger);
        assertThat(events(id, "rollback.triggered")).hasSize(1);

        // It stops firing, then fires again: a second alert.
        CLOCK.advance(Duration.ofMinutes(1));
        push(id, eli(), sample("api_error_rate", 0.2, "%", CLOCK.instant()));
        monitoring.runDue(id);
        assertThat(monitoring.find(id).check(trigger).isFiring()).isFalse();
        CLOCK.advance(Duration.ofMinutes(1));
        push(id, eli(), sample("api_error_rate", 7, "%", CLOCK.instant()));
        await().atMost(Duration.ofSeconds(5)).until(() -> events(id, "rollback.triggered").size() == 2);
        assertThat(api.get("/api/releases/" + id + "/monitoring", viewer()).json().path("triggers"))
                .filteredOn(t -> t.path("id").asString().equals(trigger)).singleElement()
                .satisfies(t -> assertThat(t.path("evaluations")).hasSize(4));
    }

    @Test
    void aRelativeTriggerComparesWithTheAverageBeforeDeployment() {
        Instant deployed = CLOCK.instant();
        String id = monitoredRelease(deployed);
        String memory = checkId(id, "performance-degradation/memory-usage");
        push(id, eli(), sample("memory_usage", 400, "count", deployed.minus(Duration.ofMinutes(30))),
                sample("memory_usage", 600, "count", deployed.minus(Duration.ofMinutes(20))));
        CLOCK.advance(Duration.ofMinutes(1));

        push(id, eli(), sample("memory_usage", 900, "count", CLOCK.instant()));
        monitoring.evaluate(id, List.of(memory), true);
        MonitoredCheck calm = monitoring.find(id).check(memory);
        assertThat(calm.getBaseline()).isEqualTo(500.0);
        assertThat(calm.getBaselineSource()).isEqualTo("SAMPLES");
        assertThat(calm.getEffectiveThreshold()).isEqualTo(1000.0);
        assertThat(calm.isFiring()).isFalse();

        CLOCK.advance(Duration.ofMinutes(1));
        push(id, eli(), sample("memory_usage", 1100, "count", CLOCK.instant()));
        await().atMost(Duration.ofSeconds(5)).until(() -> events(id, "rollback.triggered").size() == 1);
        assertThat(events(id, "rollback.triggered").get(0).path("data").path("threshold").asDouble())
                .isEqualTo(1000.0);
    }

    @Test
    void aPinnedBaselineReplacesTheSamplesAndAnIncreaseIsAPercentageOfIt() {
        String id = monitoredRelease(CLOCK.instant());
        String complaints = checkId(id, "performance-degradation/user-complaints");

        Api.Response pinned = patchCheck(id, complaints, "{\"baseline\": 40}");

        assertThat(pinned.status()).isEqualTo(200);
        assertThat(pinned.json().path("baseline").path("source").asString()).isEqualTo("PINNED");
        CLOCK.advance(Duration.ofMinutes(1));
        push(id, eli(), sample("user_complaints", 43, "count", CLOCK.instant()));
        monitoring.evaluate(id, List.of(complaints), true);
        assertThat(monitoring.find(id).check(complaints).getEffectiveThreshold()).isEqualTo(44.0);
        assertThat(monitoring.find(id).check(complaints).isFiring()).isFalse();
        CLOCK.advance(Duration.ofMinutes(1));
        push(id, eli(), sample("user_complaints", 45, "count", CLOCK.instant()));
        await().atMost(Duration.ofSeconds(5)).until(() -> events(id, "rollback.triggered").size() == 1);
    }

    @Test
    void aRelativeTargetWithoutBaselineIsInconclusiveNeverPassing() {
        String id = monitoredRelease(CLOCK.instant());
        String memory = checkId(id, "performance-degradation/memory-usage");
        CLOCK.advance(Duration.ofMinutes(1));
        push(id, eli(), sample("memory_usage", 900, "count", CLOCK.instant()));

        monitoring.evaluate(id, List.of(memory), true);

        EvaluationRecord last = monitoring.find(id).check(memory).getEvaluations().get(0);
        assertThat(last.verdict()).isEqualTo(EvaluationRecord.Verdict.INCONCLUSIVE);
        assertThat(last.reason()).startsWith("No baseline");
    }

    @Test
    void aSustainedTriggerFiresOnlyWhenTheConditionHeldForTheWholeDuration() {
        Instant deployed = CLOCK.instant();
        String id = monitoredRelease(deployed);
        String cpu = checkId(id, "performance-degradation/cpu-utilization");
        patchCheck(id, cpu, "{\"sustainedFor\": \"PT5M\", \"evaluationInterval\": \"PT1M\"}");

        for (int minute = 1; minute <= 3; minute++) {
            CLOCK.set(deployed.plus(Duration.ofMinutes(minute)));
            push(id, eli(), sample("cpu_utilization", 91, "%", CLOCK.instant()));
            monitoring.evaluate(id, List.of(cpu), true);
        }
        assertThat(monitoring.find(id).check(cpu).isFiring()).isFalse();
        assertThat(monitoring.find(id).check(cpu).getEvaluations().get(2).reason()).contains("not yet for PT5M");

        for (int minute = 4; minute <= 6; minute++) {
            CLOCK.set(deployed.plus(Duration.ofMinutes(minute)));
            push(id, eli(), sample("cpu_utilization", 0.93, "ratio", CLOCK.instant()));
            monitoring.evaluate(id, List.of(cpu), true);
        }
        assertThat(monitoring.find(id).check(cpu).isFiring()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> events(id, "rollback.triggered").size() == 1);
    }
}
