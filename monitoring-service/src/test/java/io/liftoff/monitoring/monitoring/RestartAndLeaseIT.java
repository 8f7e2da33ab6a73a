package io.liftoff.monitoring.monitoring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.liftoff.common.outbox.OutboxRelay;
import io.liftoff.monitoring.config.MonitoringProperties;
import io.liftoff.monitoring.support.AbstractIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;

/**
 * What is due lives in the store: a replica started after another stopped carries on from there, and leases keep two
 * replicas from evaluating one check at once. "Another replica" is a second service over the same store with its own
 * lease owner, on the same controllable clock.
 */
class RestartAndLeaseIT extends AbstractIntegrationTest {

    @Autowired
    private ChecklistPort checklist;

    @Autowired
    private CheckEvaluator evaluator;

    @Autowired
    private MonitoringProperties properties;

    @Autowired
    private ObjectProvider<OutboxRelay> relay;

    @Autowired
    private ApplicationEventPublisher publisher;

    @Test
    void aReplicaStartedAfterAnOutageClosesTheWindowThatEndedMeanwhileOnceAndDoesNotRepeatAnAlert() {
        Instant deployed = CLOCK.instant();
        String id = monitoredRelease(deployed);
        PEERS.stubFor(patch(urlPathMatching("/api/releases/" + id + "/items/.*")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody("{}")));
        String trigger = checkId(id, "critical-system-issues/api-error-rate");
        CLOCK.set(deployed.plus(Duration.ofMinutes(115)));
        push(id, eli(), sample("api_response_time", 120, "ms", CLOCK.instant()),
                sample("error_rate", 0.02, "%", CLOCK.instant()),
                sample("database_performance", 30, "ms", CLOCK.instant()),
                sample("api_error_rate", 4, "%", CLOCK.instant()));
        await().atMost(Duration.ofSeconds(5)).until(() -> events(id, "rollback.triggered").size() == 1);

        // The first replica stops here; the window ends and the error rate stays high while nobody runs.
        CLOCK.set(deployed.plus(Duration.ofHours(3)));
        MonitoringService restarted = replica("replica-after-restart");
        restarted.runDue(id);
        restarted.runDue(id);
        monitoring.runDue(id);

        ReleaseMonitoring after = monitoring.find(id);
        MonitoringWindow first = after.getWindows().get(0);
        assertThat(first.isClosed()).isTrue();
        assertThat(first.getVerdict()).isEqualTo("PASS");
        assertThat(after.checksOf(first)).allSatisfy(check -> assertThat(check.getEvaluations()
                .get(check.getEvaluations().size() - 1).at()).isEqualTo(first.getClosesAt()));
        assertThat(PEERS.findAll(patchRequestedFor(urlPathMatching("/api/releases/" + id + "/items/.*"))))
                .hasSize(3);
        assertThat(after.check(trigger).isFiring()).isTrue();
        assertThat(after.check(trigger).getEvaluations().size()).isGreaterThan(1);
        assertThat(after.getNextDueAt()).isAfter(CLOCK.instant());
        assertThat(events(id, "rollback.triggered")).hasSize(1);
    }

    @Test
    void aCheckLeasedByAnotherReplicaIsLeftToItUntilTheLeaseExpires() {
        String id = monitoredRelease(CLOCK.instant());
        String check = checkId(id, "system-health/error-rates");
        push(id, eli(), sample("error_rate", 0.02, "%", CLOCK.instant()));
        Leases other = new Leases(mongo, CLOCK, Duration.ofSeconds(30), "replica-b");

        assertThat(other.acquire("check:" + id + ":" + check)).isTrue();
        assertThat(monitoring.evaluate(id, List.of(check), true)).isEmpty();

        CLOCK.advance(Duration.ofSeconds(31));
        assertThat(monitoring.evaluate(id, List.of(check), true)).containsExactly(check);
        assertThat(other.acquire("check:" + id + ":" + check)).isTrue();
        other.release("check:" + id + ":" + check);
        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(monitoring.evaluate(id, List.of(check), true)).containsExactly(check);
    }

    @Test
    void ofTwoReplicasReachingForOneLeaseOnlyOneGetsIt() {
        Leases a = new Leases(mongo, CLOCK, Duration.ofSeconds(30), "replica-a");
        Leases b = new Leases(mongo, CLOCK, Duration.ofSeconds(30), "replica-b");
        String key = "check:" + newReleaseId() + ":x";

        boolean first = a.acquire(key);
        boolean second = b.acquire(key);

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(a.acquire(key)).as("the holder renews its own lease").isTrue();
    }

    private MonitoringService replica(String owner) {
        return new MonitoringService(mongo, checklist, evaluator, properties, CLOCK,
                new Leases(mongo, CLOCK, properties.lease(), owner), relay, publisher);
    }
}
