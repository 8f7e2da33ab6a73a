package io.liftoff.monitoring.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;

import io.liftoff.common.testing.Api;
import io.liftoff.common.testing.TestJwts;
import io.liftoff.monitoring.support.AbstractIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Who may start monitoring, change checks, push samples, deliver events and read results. */
class AccessIT extends AbstractIntegrationTest {

    enum Call {
        START, READ, CHART, CHANGE_CHECK, PUSH, EVENT
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Call.START, "nobody", 401, "unauthorized"),
                Arguments.of(Call.START, "viewer", 403, "forbidden"),
                Arguments.of(Call.START, "engineer", 403, "forbidden"),
                Arguments.of(Call.START, "other product", 404, "not-found"),
                Arguments.of(Call.START, "release-manager", 200, null),
                Arguments.of(Call.START, "service", 200, null),
                Arguments.of(Call.READ, "nobody", 401, "unauthorized"),
                Arguments.of(Call.READ, "no roles", 403, "forbidden"),
                Arguments.of(Call.READ, "other product", 404, "monitoring-not-started"),
                Arguments.of(Call.READ, "viewer", 200, null),
                Arguments.of(Call.READ, "auditor", 200, null),
                Arguments.of(Call.CHART, "nobody", 401, "unauthorized"),
                Arguments.of(Call.CHART, "no roles", 403, "forbidden"),
                Arguments.of(Call.CHART, "other product", 404, "monitoring-not-started"),
                Arguments.of(Call.CHART, "viewer", 200, null),
                Arguments.of(Call.CHART, "auditor", 200, null),
                Arguments.of(Call.CHANGE_CHECK, "nobody", 401, "unauthorized"),
                Arguments.of(Call.CHANGE_CHECK, "engineer", 403, "forbidden"),
                Arguments.of(Call.CHANGE_CHECK, "auditor", 403, "forbidden"),
                Arguments.of(Call.CHANGE_CHECK, "other product", 404, "monitoring-not-started"),
                Arguments.of(Call.CHANGE_CHECK, "release-manager", 200, null),
                Arguments.of(Call.PUSH, "nobody", 401, "unauthorized"),
                Arguments.of(Call.PUSH, "viewer", 403, "forbidden"),
                Arguments.of(Call.PUSH, "auditor", 403, "forbidden"),
                Arguments.of(Call.PUSH, "other product", 404, "monitoring-not-started"),
                Arguments.of(Call.PUSH, "engineer", 202, null),
                Arguments.of(Call.PUSH, "partner", 202, null),
                Arguments.of(Call.EVENT, "nobody", 401, "unauthorized"),
                Arguments.of(Call.EVENT, "release-manager", 403, "forbidden"),
                Arguments.of(Call.EVENT, "service", 202, null));
    }

    @ParameterizedTest(name = "{0} as {1}: {2}")
    @MethodSource("cases")
    void accessIsGrantedByRoleAndProduct(Call call, String who, int status, String problem) {
        String id = monitoredRelease(CLOCK.instant().minus(Duration.ofMinutes(1)));
        String token = token(who);
        Api.Response response = switch (call) {
            case START -> api.post("/api/releases/" + id + "/monitoring", token, "application/json", "");
            case READ -> api.get("/api/releases/" + id + "/monitoring", token);
            case CHART -> api.get("/api/releases/" + id + "/monitoring/chart", token, "image/svg+xml");
            case CHANGE_CHECK -> api.patch("/api/releases/" + id + "/monitoring/checks/"
                    + checkId(id, "system-health/error-rates"), token, null, "{\"failureLimit\": 2}");
            case PUSH -> push(id, token, sample("error_rate", 0.01, "%", CLOCK.instant()));
            case EVENT -> api.json("/api/events", token, "{\"eventId\":\"e-" + id + "\",\"type\":\"item.updated\","
                    + "\"releaseId\":\"" + id + "\",\"data\":{}}");
        };

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        if (problem != null) {
            assertThat(response.problemType()).isEqualTo("https://liftoff.dev/problems/" + problem);
        }
    }

    @Test
    void aReleaseEnteringMonitoringStartsItsMonitoringThroughTheEventOnceWhateverTheRepeats() {
        String id = newReleaseId();
        stubRelease(release(id, "MONITORING", CLOCK.instant()), 9);
        String event = "{\"eventId\":\"evt-" + id + "\",\"type\":\"release.transitioned\",\"releaseId\":\"" + id
                + "\",\"product\":\"" + PRODUCT + "\",\"actor\":\"riley\",\"data\":{\"from\":\"DEPLOYING\","
                + "\"to\":\"MONITORING\",\"checklistVersion\":9,\"deployedAt\":\"" + CLOCK.instant() + "\"}}";

        assertThat(api.json("/api/events", service(), event).status()).isEqualTo(202);
        assertThat(api.json("/api/events", service(), event).status()).isEqualTo(202);

        assertThat(monitoring.find(id)).isNotNull();
        assertThat(monitoring.find(id).getWindows()).hasSize(3);
    }

    private static String token(String who) {
        return switch (who) {
            case "nobody" -> null;
            case "no roles" -> noRoles();
            case "viewer" -> viewer();
            case "engineer" -> eli();
            case "auditor" -> ada();
            case "other product" -> olga();
            case "release-manager" -> riley();
            case "service" -> service();
            case "partner" -> TestJwts.user("partner-tool").roles("partner").products(PRODUCT)
                    .audience("monitoring-service").sign();
            default -> throw new IllegalArgumentException(who);
        };
    }
}
