package io.liftoff.checklist.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftoff.checklist.support.AbstractIntegrationTest;
import io.liftoff.common.testing.Api;
import org.junit.jupiter.api.Test;

/** Probes and metrics are open to the platform's tooling; everything else needs a token. */
class OperationsIT extends AbstractIntegrationTest {

    @Test
    void livenessAndReadinessAnswerUpWithoutAToken() {
        assertThat(api.get("/actuator/health/liveness", null).json().path("status").asString()).isEqualTo("UP");
        Api.Response readiness = api.get("/actuator/health/readiness", null);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(api.get("/actuator/health", null).json().path("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusMetricsIncludeRequestsAndTheOutboxRelay() {
        api.post("/api/releases?product=toolboxai", riley(), "text/markdown", fixture(nextVersion()));

        Api.Response metrics = api.get("/actuator/prometheus", null);

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("http_server_requests_seconds_count")
                .contains("liftoff_outbox_delivered_total").contains("liftoff_outbox_failed_total");
    }

    @Test
    void otherActuatorEndpointsAreNotExposed() {
        assertThat(api.get("/actuator/env", null).status()).isIn(401, 404);
        assertThat(api.get("/actuator/env", riley()).status()).isEqualTo(404);
    }
}
