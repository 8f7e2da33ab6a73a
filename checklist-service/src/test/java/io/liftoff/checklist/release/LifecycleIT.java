package io.liftoff.checklist.release;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.liftoff.checklist.support.AbstractIntegrationTest;
import io.liftoff.common.testing.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class LifecycleIT extends AbstractIntegrationTest {

    private String releaseId;

    @BeforeEach
    void releaseReadyForDeployment() {
        JsonNode release = api.post("/api/releases?product=toolboxai", riley(), "text/markdown",
                fixture(nextVersion())).json();
        releaseId = release.path("id").asString();
    }

    private Api.Response move(String to) {
        return api.json("/api/releases/" + releaseId + "/transitions", riley(), "{\"to\":\"" + to + "\"}");
    }

    private void completePhase(String phase) {
        List<JsonNode> items = flatten(api.get("/api/releases/" + releaseId, eli()).json().path("items"));
        for (JsonNode item : items) {
            if (item.path("phase").asString().equals(phase) && item.path("checkbox").asBoolean()
                    && item.path("state").asString().equals("OPEN") && !item.path("kind").asString().equals("SIGNOFF")
                    && !item.path("parentId").isMissingNode()) {
                String etag = api.get("/api/releases/" + releaseId, eli()).header("ETag");
                assertThat(api.patch("/api/releases/" + releaseId + "/items/" + item.path("id").asString(), eli(),
                        etag, "{\"state\":\"DONE\"}").status()).isIn(200, 409);
            }
        }
    }

    private void gateAnswers(String body) {
        PEERS.stubFor(get(urlPathEqualTo("/api/releases/" + releaseId + "/gate"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void aDraftMovesToPreparingAndReadyOnlyOnceEveryPreReleaseItemIsDone() {
        assertThat(move("PREPARING").status()).isEqualTo(200);
        JsonNode bandit = flatten(api.get("/api/releases/" + releaseId, eli()).json().path("items")).stream()
                .filter(i -> i.path("key").asString().endsWith("dependency-security/bandit")).findFirst()
                .orElseThrow();
        String etag = api.get("/api/releases/" + releaseId, eli()).header("ETag");
        assertThat(api.patch("/api/releases/" + releaseId + "/items/" + bandit.path("id").asString(), eli(), etag,
                "{\"state\":\"BLOCKED\",\"note\":\"new finding\"}").status()).isEqualTo(200);

        Api.Response refused = move("READY");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("https://liftoff.dev/problems/transition-refused");
        assertThat(refused.json().path("reasons").toString())
                .contains("blocked item: pre-release-preparation/security-validation/dependency-security/bandit")
                .doesNotContain("release-sign-off");

        etag = api.get("/api/releases/" + releaseId, eli()).header("ETag");
        assertThat(api.patch("/api/releases/" + releaseId + "/items/" + bandit.path("id").asString(), eli(), etag,
                "{\"state\":\"DONE\"}").status()).isEqualTo(200);
        completePhase("PRE_RELEASE");
        Api.Response ready = move("READY");
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        assertThat(ready.json().path("status").asString()).isEqualTo("READY");
        assertThat(ready.json().path("transitions")).hasSize(2);
    }

    @Test
    void readyMovesToDeployingWhenTheSignoffGateIsClear() {
        reachReady();
        gateAnswers("{\"phase\":\"PRE_RELEASE\",\"cleared\":true,\"missingRoles\":[]}");

        Api.Response deploying = move("DEPLOYING");

        assertThat(deploying.status()).as(deploying.body()).isEqualTo(200);
        assertThat(deploying.json().path("status").asString()).isEqualTo("DEPLOYING");
        PEERS.verify(getRequestedFor(urlPathEqualTo("/api/releases/" + releaseId + "/gate"))
                .withQueryParam("phase", com.github.tomakehurst.wiremock.client.WireMock.equalTo("PRE_RELEASE"))
                .withHeader("traceparent", com.github.tomakehurst.wiremock.client.WireMock
                        .matching("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]")));
    }

    @Test
    void aGateThatIsNotClearRefusesDeploymentWithTheMissingRoles() {
        reachReady();
        gateAnswers("{\"phase\":\"PRE_RELEASE\",\"cleared\":false,\"missingRoles\":[\"security-lead\"],"
                + "\"staleSignoffs\":[\"qa-lead\"],\"rejectedSignoffs\":[]}");

        Api.Response refused = move("DEPLOYING");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("reasons").toString()).contains("missing sign-off: security-lead")
                .contains("stale sign-off: qa-lead");
        assertThat(api.get("/api/releases/" + releaseId, eli()).json().path("status").asString())
                .isEqualTo("READY");
    }

    @Test
    void deploymentIsRefusedWhenSignoffServiceIsDownOrSlow() {
        reachReady();
        PEERS.stubFor(get(urlPathEqualTo("/api/releases/" + releaseId + "/gate"))
                .willReturn(aResponse().withStatus(500)));
        Api.Response onError = move("DEPLOYING");

        PEERS.stubFor(get(urlPathEqualTo("/api/releases/" + releaseId + "/gate"))
                .willReturn(aResponse().withFixedDelay(2000).withHeader("Content-Type", "application/json")
                        .withBody("{\"phase\":\"PRE_RELEASE\",\"cleared\":true}")));
        Api.Response onSlow = move("DEPLOYING");

        assertThat(onError.status()).isEqualTo(409);
        assertThat(onError.json().path("reasons").toString()).contains("signoff-service could not confirm");
        assertThat(onSlow.status()).isEqualTo(409);
        assertThat(onSlow.json().path("reasons").toString()).contains("signoff-service could not confirm");
        assertThat(api.get("/api/releases/" + releaseId, eli()).json().path("status").asString())
                .isEqualTo("READY");
    }

    @Test
    void monitoringNeedsTheDeploymentStepsAndReleaseNeedsThePostReleaseGate() {
        reachReady();
        gateAnswers("{\"phase\":\"PRE_RELEASE\",\"cleared\":true}");
        assertThat(move("DEPLOYING").status()).isEqualTo(200);
        assertThat(move("MONITORING").status()).isEqualTo(409);
        completePhase("DEPLOYMENT");
        Api.Response monitoring = move("MONITORING");
        assertThat(monitoring.status()).as(monitoring.body()).isEqualTo(200);
        assertThat(monitoring.json().path("deployedAt").isMissingNode()).isFalse();

        gateAnswers("{\"phase\":\"POST_RELEASE\",\"cleared\":false,\"missingRoles\":[\"release-manager\"]}");
        assertThat(move("RELEASED").status()).isEqualTo(409);
        gateAnswers("{\"phase\":\"POST_RELEASE\",\"cleared\":true}");
        assertThat(move("RELEASED").status()).isEqualTo(200);

        Api.Response closed = move("ABORTED");
        assertThat(closed.status()).isEqualTo(409);
        assertThat(closed.problemType()).isEqualTo("https://liftoff.dev/problems/transition-refused");
    }

    @Test
    void aMonitoredReleaseRollsBackAndAnyOpenReleaseCanBeAborted() {
        reachReady();
        gateAnswers("{\"phase\":\"PRE_RELEASE\",\"cleared\":true}");
        assertThat(move("DEPLOYING").status()).isEqualTo(200);
        assertThat(move("ROLLING_BACK").status()).isEqualTo(200);
        assertThat(move("ROLLED_BACK").status()).isEqualTo(200);
        assertThat(move("ABORTED").status()).isEqualTo(409);

        String other = api.post("/api/releases?product=toolboxai", riley(), "text/markdown", fixture(nextVersion()))
                .json().path("id").asString();
        assertThat(api.json("/api/releases/" + other + "/transitions", riley(), "{\"to\":\"ABORTED\"}").status())
                .isEqualTo(200);
    }

    private void reachReady() {
        assertThat(move("PREPARING").status()).isEqualTo(200);
        completePhase("PRE_RELEASE");
        assertThat(move("READY").status()).isEqualTo(200);
    }
}
