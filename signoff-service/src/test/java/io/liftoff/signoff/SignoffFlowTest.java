package io.liftoff.signoff;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.nimbusds.jose.jwk.JWKSet;
import io.liftoff.common.testing.Api;
import io.liftoff.common.testing.TestJwts;
import io.liftoff.signoff.support.AbstractIntegrationTest;
import io.liftoff.signoff.verify.LeafVerifier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class SignoffFlowTest extends AbstractIntegrationTest {

    private static final String ALL_TESTS_PASSING = "pre-release-preparation/code-quality-testing/all-tests-passing";

    private Api.Response gate(String id, String phase) {
        return api.get("/api/releases/" + id + "/gate?phase=" + phase, checklistService());
    }

    private Api.Response sign(String id, String token, String body) {
        return api.json("/api/releases/" + id + "/signoffs", token, body);
    }

    @Test
    void preReleaseGateClearsWhenEveryRequiredRoleApprovedAndAnnouncesIt() throws Exception {
        String id = newRelease();
        Api.Response before = gate(id, "PRE_RELEASE");
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.json().path("cleared").asBoolean()).isFalse();
        assertThat(strings(before.json().path("missingRoles"))).containsExactly("engineering-manager",
                "security-lead", "qa-lead", "devops-lead", "product-manager");

        signAllPreRelease(id);

        Api.Response after = gate(id, "PRE_RELEASE");
        assertThat(after.json().path("cleared").asBoolean()).as(after.body()).isTrue();
        assertThat(after.json().path("missingRoles").size()).isZero();
        assertThat(gate(id, "POST_RELEASE").json().path("cleared").asBoolean()).isFalse();
        awaitEvent("gate.cleared", id);
        awaitEvent("signoff.recorded", id);
    }

    @Test
    void staleSignoffIsNotCountedByTheGateUntilTheRoleSignsAgain() {
        ObjectNode release = fixtureRelease();
        String id = serve(release);
        signAllPreRelease(id);

        changeItem(release, ALL_TESTS_PASSING, "state", "BLOCKED");
        serve(release);

        JsonNode gate = gate(id, "PRE_RELEASE").json();
        assertThat(gate.path("cleared").asBoolean()).isFalse();
        assertThat(strings(gate.path("staleSignoffs"))).containsExactly("engineering-manager", "security-lead",
                "qa-lead", "devops-lead", "product-manager");
        JsonNode listed = api.get("/api/releases/" + id + "/signoffs", viewer()).json();
        assertThat(listed.path("signoffs").get(0).path("stale").asBoolean()).isTrue();
        assertThat(listed.path("signoffs").get(0).path("current").asBoolean()).isFalse();
        assertThat(listed.path("signoffs").get(0).path("checklistVersion").asLong()).isEqualTo(1);

        assertThat(sign(id, emma(), signoffJson("engineering-manager", "APPROVE")).status()).isEqualTo(201);
        assertThat(strings(gate(id, "PRE_RELEASE").json().path("staleSignoffs"))).doesNotContain(
                "engineering-manager");
    }

    @Test
    void aChangeInAnotherPhaseOrToTheSignoffItemsKeepsSignoffsCurrent() {
        ObjectNode release = fixtureRelease();
        String id = serve(release);
        signAllPreRelease(id);
        changeItem(release, "release-deployment/environment-preparation/staging-environment/deploy-to-staging-environment", "state", "DONE");
        changeItem(release, "release-sign-off/pre-release-approvals/qa-team-lead", "state", "DONE");
        serve(release);
        assertThat(gate(id, "PRE_RELEASE").json().path("cleared").asBoolean()).isTrue();
    }

    @Test
    void signingWithoutFreshMfaAnswersTheRfc9470ChallengeAndRecordsNothing() {
        String id = newRelease();
        String passwordOnly = TestJwts.user("sam").roles("security-lead").products("toolboxai")
                .audience("signoff-service").sign();
        String oldMfa = TestJwts.user("sam").roles("security-lead").products("toolboxai").audience("signoff-service")
                .mfa(Instant.now().minusSeconds(301)).sign();
        for (String token : List.of(passwordOnly, oldMfa)) {
            Api.Response response = sign(id, token, signoffJson("security-lead", "APPROVE"));
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.problemType()).isEqualTo("https://liftoff.dev/problems/insufficient-user-authentication");
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer error=\"insufficient_user_authentication\"")
                    .contains("error_description=\"", "acr_values=\"mfa\"", "max_age=300");
        }
        assertThat(api.get("/api/releases/" + id + "/signoffs", viewer()).json().path("signoffs").size()).isZero();
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyReturnsTheFirstResult() {
        String id = newRelease();
        Api.Response first = signWithKey(id, "key-1");
        Api.Response retry = signWithKey(id, "key-1");
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.json().path("id").asString()).isEqualTo(first.json().path("id").asString());
        assertThat(retry.json().path("logIndex").asLong()).isEqualTo(first.json().path("logIndex").asLong());
        assertThat(api.get("/api/releases/" + id + "/signoffs", viewer()).json().path("signoffs").size()).isEqualTo(1);
    }

    private Api.Response signWithKey(String id, String key) {
        return send(id, sam(), key);
    }

    private Api.Response send(String id, String token, String key) {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://localhost:" + port + "/api/releases/" + id + "/signoffs"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(signoffJson("security-lead", "APPROVE")));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(request.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Api.Response(response.statusCode(), response.headers(), response.body());
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void concurrentSubmissionsForTheSameRoleRecordExactlyOne() throws Exception {
        String id = newRelease();
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String token = signer("sec" + i, "security-lead");
            Callable<Integer> call = () -> {
                start.await();
                return send(id, token, null).status();
            };
            results.add(pool.submit(call));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> result : results) {
            statuses.add(result.get());
        }
        pool.shutdown();
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(threads - 1);
        assertThat(api.get("/api/releases/" + id + "/signoffs", viewer()).json().path("signoffs").size()).isEqualTo(1);
    }

    @Test
    void onePersonSignsOneRolePerRelease() {
        String id = newRelease();
        String both = signer("max", "qa-lead", "devops-lead");
        assertThat(sign(id, both, signoffJson("qa-lead", "APPROVE")).status()).isEqualTo(201);
        Api.Response second = sign(id, both, signoffJson("devops-lead", "APPROVE"));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.problemType()).isEqualTo("https://liftoff.dev/problems/separation-of-duties");
    }

    @Test
    void theReleaseCreatorCannotApproveItsPreReleaseGateUnlessTheProductAllowsIt() {
        String rileyAsManager = signer("riley", "engineering-manager");
        String id = newRelease();
        Api.Response refused = sign(id, rileyAsManager, signoffJson("engineering-manager", "APPROVE"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("https://liftoff.dev/problems/separation-of-duties");

        String relaxed = newRelease(r -> r.put("product", "relaxed"));
        String rileyRelaxed = TestJwts.user("riley").roles("engineering-manager").products("relaxed")
                .audience("signoff-service").mfa(Instant.now()).sign();
        assertThat(sign(relaxed, rileyRelaxed, signoffJson("engineering-manager", "APPROVE")).status())
                .isEqualTo(201);
    }

    @Test
    void aSignerRevokesTheirOwnSignoffBeforeDeploymentAsANewEntry() throws Exception {
        ObjectNode release = fixtureRelease();
        String id = serve(release);
        String signoffId = sign(id, sam(), signoffJson("security-lead", "APPROVE")).json().path("id").asString();

        Api.Response notYours = api.json("/api/releases/" + id + "/signoffs/" + signoffId + "/revocation", emma(), "{}");
        assertThat(notYours.status()).isEqualTo(403);
        assertThat(notYours.problemType()).isEqualTo("https://liftoff.dev/problems/not-your-signoff");

        Api.Response revoked = api.json("/api/releases/" + id + "/signoffs/" + signoffId + "/revocation", sam(),
                "{\"reason\":\"found an issue\"}");
        assertThat(revoked.status()).isEqualTo(201);
        assertThat(revoked.json().path("decision").asString()).isEqualTo("REVOKE");
        assertThat(revoked.json().path("revokes").asString()).isEqualTo(signoffId);
        assertThat(strings(gate(id, "PRE_RELEASE").json().path("missingRoles"))).contains("security-lead");
        JsonNode listed = api.get("/api/releases/" + id + "/signoffs", viewer()).json().path("signoffs");
        assertThat(listed.size()).isEqualTo(2);
        assertThat(listed.get(0).path("revoked").asBoolean()).isTrue();
        awaitEvent("signoff.revoked", id);

        Api.Response twice = api.json("/api/releases/" + id + "/signoffs/" + signoffId + "/revocation", sam(), "{}");
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.problemType()).isEqualTo("https://liftoff.dev/problems/already-revoked");

        String again = sign(id, sam(), signoffJson("security-lead", "APPROVE")).json().path("id").asString();
        release.put("status", "DEPLOYING");
        serve(release);
        Api.Response late = api.json("/api/releases/" + id + "/signoffs/" + again + "/revocation", sam(), "{}");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.problemType()).isEqualTo("https://liftoff.dev/problems/release-closed");
    }

    @Test
    void aRejectionBlocksTheGateUntilRevoked() {
        String id = newRelease();
        signAllPreRelease(id);
        String qa = signer("quinn", "qa-lead");
        JsonNode mine = api.get("/api/releases/" + id + "/signoffs", viewer()).json().path("signoffs").get(2);
        api.json("/api/releases/" + id + "/signoffs/" + mine.path("id").asString() + "/revocation", qa, "{}");
        assertThat(sign(id, qa, signoffJson("qa-lead", "REJECT")).status()).isEqualTo(201);
        JsonNode gate = gate(id, "PRE_RELEASE").json();
        assertThat(gate.path("cleared").asBoolean()).isFalse();
        assertThat(strings(gate.path("rejectedSignoffs"))).containsExactly("qa-lead");
    }

    @Test
    void postReleaseConfirmationsNeedEveryAttestationConfirmedExplicitly() {
        String id = newRelease(r -> r.put("status", "MONITORING"));
        String prefix = "release-sign-off/post-release-confirmation/release-manager/";
        Api.Response partly = sign(id, riley(), "{\"role\":\"release-manager\",\"decision\":\"APPROVE\","
                + "\"attestations\":[{\"key\":\"" + prefix + "all-deployment-steps-completed-successfully\","
                + "\"confirmed\":true},{\"key\":\"" + prefix + "monitoring-systems-show-healthy-metrics\","
                + "\"confirmed\":false}]}");
        assertThat(partly.status()).isEqualTo(422);
        assertThat(partly.problemType()).isEqualTo("https://liftoff.dev/problems/attestations-missing");
        assertThat(strings(partly.json().path("missingAttestations"))).containsExactly(
                prefix + "monitoring-systems-show-healthy-metrics",
                prefix + "no-critical-issues-detected-in-first-2-hours");

        assertThat(sign(id, riley(), confirmAll("release-manager", prefix, "all-deployment-steps-completed-successfully",
                "monitoring-systems-show-healthy-metrics", "no-critical-issues-detected-in-first-2-hours")).status())
                .isEqualTo(201);
        assertThat(strings(gate(id, "POST_RELEASE").json().path("missingRoles"))).containsExactly("engineering-lead");
        String lead = "release-sign-off/post-release-confirmation/engineering-lead/";
        Api.Response leeSigned = sign(id, signer("lee", "engineering-lead"), confirmAll("engineering-lead", lead,
                "technical-functionality-verified", "performance-metrics-within-acceptable-range",
                "no-regression-issues-identified"));
        assertThat(leeSigned.status()).isEqualTo(201);
        assertThat(strings(leeSigned.json().path("attestations"))).hasSize(3);
        assertThat(gate(id, "POST_RELEASE").json().path("cleared").asBoolean()).isTrue();
    }

    private static String confirmAll(String role, String prefix, String... keys) {
        StringBuilder body = new StringBuilder("{\"role\":\"" + role + "\",\"decision\":\"APPROVE\",\"attestations\":[");
        for (int i = 0; i < keys.length; i++) {
            body.append(i == 0 ? "" : ",").append("{\"key\":\"").append(prefix).append(keys[i])
                    .append("\",\"confirmed\":true}");
        }
        return body.append("]}").toString();
    }

    @Test
    void eachSignoffIsSignedByTheServiceOverWhatItApproved() throws Exception {
        String id = newRelease();
        JsonNode signoff = sign(id, sam(), signoffJson("security-lead", "APPROVE")).json();
        JWKSet keys = JWKSet.parse(api.get("/api/log/keys", viewer()).body());
        LeafVerifier.Result result = LeafVerifier.verify(signoff.path("jws").asString(), LeafVerifier.SIGNOFF_TYPE, keys);
        assertThat(result.problems()).isEmpty();
        assertThat(result.payload()).containsEntry("releaseId", id).containsEntry("role", "security-lead")
                .containsEntry("decision", "APPROVE").containsEntry("signer", "sam")
                .containsEntry("digest", signoff.path("digest").asString()).containsKeys("signedAt", "authTime");
        assertThat(((Number) result.payload().get("acr")).intValue()).isEqualTo(2);
        assertThat(((Number) result.payload().get("checklistVersion")).longValue()).isEqualTo(1);
        assertThat(signoff.path("keyId").asString()).isEqualTo(keys.getKeys().get(0).getKeyID());
    }

    @Test
    void whenTheChecklistCannotBeReadNothingIsSignedAndNoGateIsClear() {
        String id = "unreadable-" + System.nanoTime();
        PEERS.stubFor(get(urlEqualTo("/api/releases/" + id)).willReturn(aResponse().withStatus(500)));
        Api.Response gate = gate(id, "PRE_RELEASE");
        assertThat(gate.status()).isEqualTo(503);
        assertThat(gate.problemType()).isEqualTo("https://liftoff.dev/problems/checklist-unavailable");
        Api.Response signed = sign(id, sam(), signoffJson("security-lead", "APPROVE"));
        assertThat(signed.status()).isEqualTo(503);
        assertThat(mongo.findById(id, org.bson.Document.class, "release_signoffs")).isNull();

        String slow = "slow-" + System.nanoTime();
        PEERS.stubFor(get(urlEqualTo("/api/releases/" + slow)).willReturn(aResponse().withStatus(200)
                .withFixedDelay(1500).withHeader("Content-Type", "application/json")
                .withBody(fixtureRelease().put("id", slow).toString())));
        assertThat(gate(slow, "PRE_RELEASE").status()).isEqualTo(503);

        String unknown = "unknown-" + System.nanoTime();
        PEERS.stubFor(get(urlEqualTo("/api/releases/" + unknown)).willReturn(aResponse().withStatus(404)));
        assertThat(gate(unknown, "PRE_RELEASE").status()).isEqualTo(404);
    }

    private void awaitEvent(String type, String releaseId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            if (!PEERS.findAll(postRequestedFor(urlEqualTo("/api/events"))
                    .withRequestBody(matchingJsonPath("$[?(@.type == '" + type + "')]"))
                    .withRequestBody(matchingJsonPath("$[?(@.releaseId == '" + releaseId + "')]"))).isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + type + " event for " + releaseId + " reached notification-service");
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
