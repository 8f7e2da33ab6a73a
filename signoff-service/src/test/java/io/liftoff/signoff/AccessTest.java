package io.liftoff.signoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.BiFunction;
import java.util.stream.Stream;

import io.liftoff.common.testing.Api;
import io.liftoff.common.testing.TestJwts;
import io.liftoff.signoff.support.AbstractIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every endpoint: no token 401, a role that may not call it 403, another product's release 404, allowed 2xx. */
class AccessTest extends AbstractIntegrationTest {

    private static final String NO_ROLES = TestJwts.user("nobody").roles("offline_access").products("toolboxai")
            .audience("signoff-service").sign();

    /** A call of an endpoint against a release (signed once by sam) with a token. */
    record Call(String name, BiFunction<Fixture, String, Api.Response> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Fixture(Api api, String releaseId, String signoffId, long logIndex) {
    }

    private Fixture fixture() {
        String id = newRelease();
        Api.Response signed = api.json("/api/releases/" + id + "/signoffs", sam(),
                signoffJson("security-lead", "APPROVE"));
        assertThat(signed.status()).isEqualTo(201);
        return new Fixture(api, id, signed.json().path("id").asString(), signed.json().path("logIndex").asLong());
    }

    static Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of(new Call("GET gate", (f, t) -> f.api().get("/api/releases/" + f.releaseId()
                        + "/gate?phase=PRE_RELEASE", t)), NO_ROLES, olga(), viewer(), 200),
                Arguments.of(new Call("GET release sign-offs", (f, t) -> f.api().get("/api/releases/" + f.releaseId()
                        + "/signoffs", t)), NO_ROLES, olga(), viewer(), 200),
                Arguments.of(new Call("POST sign-off", (f, t) -> f.api().json("/api/releases/" + f.releaseId()
                        + "/signoffs", t, signoffJson("qa-lead", "APPROVE"))), viewer(), olga(),
                        signer("quinn", "qa-lead"), 201),
                Arguments.of(new Call("POST revocation", (f, t) -> f.api().json("/api/releases/" + f.releaseId()
                        + "/signoffs/" + f.signoffId() + "/revocation", t, "{}")), ada(), olga(), sam(), 201),
                Arguments.of(new Call("GET audit export", (f, t) -> f.api().get("/api/log/export?releaseId="
                        + f.releaseId(), t)), viewer(), olga(), ada(), 200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void releaseEndpointsCheckTokenRoleAndProduct(Call call, String wrongRole, String otherProduct, String allowed,
            int allowedStatus) {
        Fixture fixture = fixture();
        Api.Response none = call.call().apply(fixture, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.problemType()).isEqualTo("https://liftoff.dev/problems/unauthorized");
        Api.Response forbidden = call.call().apply(fixture, wrongRole);
        assertThat(forbidden.status()).as(forbidden.body()).isEqualTo(403);
        assertThat(forbidden.problemType()).isEqualTo("https://liftoff.dev/problems/forbidden");
        Api.Response other = call.call().apply(fixture, otherProduct);
        assertThat(other.status()).as(other.body()).isEqualTo(404);
        assertThat(other.problemType()).isEqualTo("https://liftoff.dev/problems/not-found");
        Api.Response ok = call.call().apply(fixture, allowed);
        assertThat(ok.status()).as(ok.body()).isEqualTo(allowedStatus);
    }

    static Stream<Arguments> logEndpoints() {
        return Stream.of(Arguments.of("/api/log/checkpoint"), Arguments.of("/api/log/keys"),
                Arguments.of("/api/log/entries/0"), Arguments.of("/api/log/consistency?first=1&second=1"));
    }

    @ParameterizedTest(name = "GET {0}")
    @MethodSource("logEndpoints")
    void logEndpointsNeedAPlatformRole(String path) {
        fixture();
        assertThat(api.get(path, null).status()).isEqualTo(401);
        assertThat(api.get(path, NO_ROLES).status()).isEqualTo(403);
        assertThat(api.get(path, viewer()).status()).isEqualTo(200);
        assertThat(api.get(path, olga()).status()).isEqualTo(200);
    }

    @Test
    void historyIsForAuditorsAndReleaseManagersWhoSeeOnlyTheirProducts() {
        Fixture fixture = fixture();
        String path = "/api/signoffs?releaseId=" + fixture.releaseId();
        assertThat(api.get(path, null).status()).isEqualTo(401);
        assertThat(api.get(path, viewer()).status()).isEqualTo(403);
        assertThat(api.get(path, sam()).status()).isEqualTo(403);
        Api.Response otherProduct = api.get(path, olga());
        assertThat(otherProduct.status()).isEqualTo(200);
        assertThat(otherProduct.json().path("items").size()).isZero();
        assertThat(api.get(path, riley()).json().path("items").size()).isEqualTo(1);
        assertThat(api.get(path, ada()).json().path("items").size()).isEqualTo(1);
    }

    @Test
    void onlyAdminsRotateKeysAndAuditorsChangeNothing() {
        String releaseId = fixture().releaseId();
        assertThat(api.post("/api/log/keys/rotation", null, "application/json", "").status()).isEqualTo(401);
        assertThat(api.post("/api/log/keys/rotation", ada(), "application/json", "").status()).isEqualTo(403);
        assertThat(api.post("/api/log/keys/rotation", riley(), "application/json", "").status()).isEqualTo(403);
        assertThat(api.json("/api/releases/" + releaseId + "/signoffs", ada(),
                signoffJson("security-lead", "APPROVE")).status()).isEqualTo(403);
        String auditorSigner = TestJwts.user("ada").roles("auditor", "qa-lead").products("toolboxai")
                .audience("signoff-service").mfa(java.time.Instant.now()).sign();
        assertThat(api.json("/api/releases/" + releaseId + "/signoffs", auditorSigner,
                signoffJson("qa-lead", "APPROVE")).status()).isEqualTo(403);
        Api.Response rotated = api.post("/api/log/keys/rotation", admin(), "application/json", "");
        assertThat(rotated.status()).isEqualTo(201);
        assertThat(rotated.json().path("kid").asString()).isNotBlank();
        assertThat(rotated.json().has("d")).isFalse();
    }
}
