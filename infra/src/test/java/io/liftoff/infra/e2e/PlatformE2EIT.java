package io.liftoff.infra.e2e;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.liftoff.infra.demo.DemoReceiver;
import io.liftoff.infra.login.BrowserLogin;
import io.liftoff.infra.login.BrowserLogin.LoginException;
import io.liftoff.infra.login.BrowserLogin.Tokens;
import io.liftoff.infra.login.DemoUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The platform against the real thing: Keycloak started once from its distribution with the realm file imported, the
 * services' jars as processes, people logging in through Keycloak's browser flow over HTTP (authorization code + PKCE,
 * password, TOTP from the documented secret). Calls go through the gateway when it runs, else straight to the
 * service; a scenario whose module did not start is skipped with the module's log named.
 */
class PlatformE2EIT {

    static final String CHECKLIST = "checklist-service";

    static final String SIGNOFF = "signoff-service";

    static final String NOTIFICATION = "notification-service";

    static final String GATEWAY = "gateway";

    static Platform platform;

    static BrowserLogin login;

    /** riley's level-2 login and the toolboxai release imported with it, made once (a TOTP code works once). */
    static Tokens riley;

    static JsonNode release;

    /** Set when the import failed, so that the scenarios needing the release do not each wait for it again. */
    static String importFailure;

    @BeforeAll
    static void startPlatform() throws Exception {
        String missing = Platform.missingDistribution();
        Assumptions.assumeTrue(missing == null, missing);
        platform = new Platform();
        platform.start(List.of(CHECKLIST, SIGNOFF, NOTIFICATION, GATEWAY));
        if (platform.isUp(GATEWAY) && Http.get(platform.url(GATEWAY) + "/api/releases", null).status() == 404) {
            platform.markUnavailable(GATEWAY, "gateway runs but does not route /api/releases yet (log: "
                    + platform.log(GATEWAY) + "); calls go straight to checklist-service");
        }
        System.out.println("[e2e] Keycloak " + platform.issuer() + "; modules up: "
                + List.of(CHECKLIST, SIGNOFF, NOTIFICATION, GATEWAY).stream().filter(platform::isUp).toList());
        platform.unavailable().forEach((module, why) -> System.out.println("[e2e] not available: " + why));
        Assumptions.assumeTrue(platform.isUp(CHECKLIST), () -> platform.whyUnavailable(CHECKLIST));
        login = new BrowserLogin(platform.issuer());
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void demoUserLogsInWithPasswordAndTotpAndGetsLevelTwoWithAuthTime() {
        JsonNode claims = Http.claims(rileyLevelTwo().accessToken());
        assertThat(claims.path("acr").asString()).isEqualTo("mfa");
        assertThat(claims.path("auth_time").asLong()).isGreaterThan(0);
        assertThat(claims.path("azp").asString()).isEqualTo("liftoff-cli");
        assertThat(claims.path("iss").asString()).isEqualTo(platform.issuer());
        assertThat(strings(claims.path("aud"))).contains("liftoff-gateway", "checklist-service", "signoff-service",
                "monitoring-service", "notification-service");
        assertThat(strings(claims.path("products"))).containsExactly("toolboxai");
        assertThat(strings(claims.path("realm_access").path("roles"))).contains("release-manager");
    }

    @Test
    void releaseManagerImportsTheFixtureThroughTheEntryPoint() {
        JsonNode imported = toolboxaiRelease();
        assertThat(imported.path("product").asString()).isEqualTo("toolboxai");
        assertThat(imported.path("version").asString()).isEqualTo("1.1.0");
        assertThat(imported.path("items").size()).isGreaterThan(5);
        Http.Response read = Http.get(api() + "/api/releases/" + imported.path("id").asString(),
                rileyLevelTwo().accessToken());
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
    }

    @Test
    void passwordOnlyLoginIsLevelOneAndIsRefusedASignOffWithRfc9470() {
        Assumptions.assumeTrue(platform.isUp(SIGNOFF), () -> "waits for signoff-service: " + platform.whyUnavailable(SIGNOFF));
        String releaseId = toolboxaiRelease().path("id").asString();
        String token = login.login("sam", DemoUsers.PASSWORD, null, "pwd").accessToken();
        assertThat(Http.claims(token).path("acr").asString()).isEqualTo("pwd");

        Http.Response answer = Http.send("POST", api() + "/api/releases/" + releaseId + "/signoffs", token,
                "application/json", "{\"role\":\"security-lead\",\"decision\":\"APPROVE\"}");

        Assumptions.assumeFalse(answer.status() == 404 && answer.body().contains("No static resource"),
                "waits for signoff-service: it does not serve POST /api/releases/{id}/signoffs yet");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).contains("insufficient_user_authentication")
                .contains("acr_values=\"mfa\"");
    }

    @Test
    void aLevelTwoLoginSignsOffThroughTheGatewayAndTheSignOffIsSignedLoggedAndVerifiable() {
        Assumptions.assumeTrue(platform.isUp(SIGNOFF), () -> "waits for signoff-service: " + platform.whyUnavailable(SIGNOFF));
        String releaseId = toolboxaiRelease().path("id").asString();
        Tokens sam = login.login("sam", DemoUsers.PASSWORD, DemoUsers.totpSecret("sam"), "mfa");
        assertThat(Http.claims(sam.accessToken()).path("acr").asString()).isEqualTo("mfa");

        Http.Response signed = Http.send("POST", api() + "/api/releases/" + releaseId + "/signoffs",
                sam.accessToken(), "application/json",
                "{\"role\":\"security-lead\",\"decision\":\"APPROVE\",\"comment\":\"e2e: pen test clean\"}");

        assertThat(signed.status()).as(signed.toString()).isEqualTo(201);
        JsonNode signoff = signed.json();
        assertThat(signoff.path("signer").asString()).isEqualTo(Http.claims(sam.accessToken()).path("sub").asString());
        assertThat(signoff.path("role").asString()).isEqualTo("security-lead");
        assertThat(signoff.path("acr").asInt()).isEqualTo(2);
        assertThat(signoff.path("current").asBoolean()).isTrue();
        assertThat(signoff.path("jws").asString()).isNotBlank();
        // In the log: its entry comes with an inclusion proof under the signed checkpoint.
        long index = signoff.path("logIndex").asLong();
        String reader = rileyLevelTwo().accessToken();
        Http.Response entry = Http.get(api() + "/api/log/entries/" + index, reader);
        assertThat(entry.status()).as(entry.toString()).isEqualTo(200);
        assertThat(new String(java.util.Base64.getDecoder().decode(entry.json().path("leaf").asString()),
                java.nio.charset.StandardCharsets.UTF_8)).contains(signoff.path("jws").asString());
        assertThat(entry.json().path("signoffId").asString()).isEqualTo(signoff.path("id").asString());
        Http.Response checkpoint = Http.get(api() + "/api/log/checkpoint", reader);
        assertThat(checkpoint.status()).as(checkpoint.toString()).isEqualTo(200);
        assertThat(checkpoint.json().path("treeSize").asLong()).isGreaterThan(index);
    }

    @Test
    void aRefreshTokenWorksOnceAndIsRefusedWhenReused() {
        Tokens first = login.login("eli", DemoUsers.PASSWORD, null, "pwd");

        Tokens second = login.refresh(first.refreshToken());

        assertThat(second.accessToken()).isNotBlank();
        assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
        assertThatThrownBy(() -> login.refresh(first.refreshToken())).isInstanceOf(LoginException.class)
                .hasMessageContaining("400").hasMessageContaining("invalid_grant");
    }

    @Test
    void fiveWrongPasswordsLockTheAccountAndTheRightOneIsThenRefused() {
        String user = "lockout-demo";
        String userId = admin().userId(user);
        for (int attempt = 1; attempt <= 5; attempt++) {
            // More than a second apart: Keycloak's quick-login check would otherwise lock sooner than the 5th failure.
            Platform.sleep(Duration.ofMillis(1100));
            assertThatThrownBy(() -> login.login(user, "wrong-password", null, "pwd"))
                    .isInstanceOf(LoginException.class).hasMessageContaining("Invalid username or password");
            JsonNode state = admin().bruteForce(userId);
            assertThat(state.path("numFailures").asInt()).isEqualTo(attempt);
            assertThat(state.path("disabled").asBoolean()).as("locked after " + attempt).isEqualTo(attempt == 5);
        }

        assertThatThrownBy(() -> login.login(user, DemoUsers.PASSWORD, null, "pwd"))
                .isInstanceOf(LoginException.class);
    }

    @Test
    void aUserOfAnotherProductGets404OnToolboxaisRelease() {
        String releaseId = toolboxaiRelease().path("id").asString();
        String olga = login.login("olga", DemoUsers.PASSWORD, null, "pwd").accessToken();
        assertThat(strings(Http.claims(olga).path("products"))).containsExactly("otherco");

        Http.Response read = Http.get(api() + "/api/releases/" + releaseId, olga);

        assertThat(read.status()).as(read.toString()).isEqualTo(404);
    }

    @Test
    void theAuditorReadsToolboxaisReleaseButCannotChangeIt() {
        JsonNode imported = toolboxaiRelease();
        String releaseId = imported.path("id").asString();
        String ada = login.login("ada", DemoUsers.PASSWORD, null, "pwd").accessToken();

        Http.Response read = Http.get(api() + "/api/releases/" + releaseId, ada);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);

        String itemId = imported.path("items").get(0).path("id").asString();
        Http.Response tick = Http.send("PATCH", api() + "/api/releases/" + releaseId + "/items/" + itemId, ada,
                "application/json", "{\"state\":\"DONE\"}", "If-Match", etag(read));
        assertThat(tick.status()).as(tick.toString()).isEqualTo(403);
        Http.Response move = Http.send("POST", api() + "/api/releases/" + releaseId + "/transitions", ada,
                "application/json", "{\"to\":\"PREPARING\"}");
        assertThat(move.status()).as(move.toString()).isEqualTo(403);
    }

    @Test
    void thePartnerClientReadsItsProductAndIsRefusedEverythingElse() throws Exception {
        String releaseId = toolboxaiRelease().path("id").asString();
        String otherRelease = othercoRelease();
        String partner = clientCredentials("partner-toolboxai", "demo-partner-toolboxai-secret");
        JsonNode claims = Http.claims(partner);
        assertThat(strings(claims.path("products"))).containsExactly("toolboxai");
        assertThat(strings(claims.path("realm_access").path("roles"))).contains("partner").doesNotContain("service");

        Http.Response read = Http.get(api() + "/api/releases/" + releaseId, partner);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(Http.get(api() + "/api/releases/" + otherRelease, partner).status()).isEqualTo(404);

        String itemId = read.json().path("items").get(0).path("id").asString();
        assertThat(Http.send("PATCH", api() + "/api/releases/" + releaseId + "/items/" + itemId, partner,
                "application/json", "{\"state\":\"DONE\"}", "If-Match", etag(read)).status()).isEqualTo(403);
        assertThat(Http.send("POST", api() + "/api/releases?product=toolboxai", partner, "text/markdown",
                Platform.resource("/fixtures/release-checklist-v1.1.0.md")).status()).isEqualTo(403);
        assertThat(Http.send("POST", api() + "/api/releases/" + releaseId + "/transitions", partner,
                "application/json", "{\"to\":\"PREPARING\"}").status()).isEqualTo(403);
    }

    @Test
    void aNewNonDemoUserMustConfigureTotpBeforeGettingTokens() {
        admin().createUser("e2e-newcomer", "toolboxai", "viewer", false);

        assertThatThrownBy(() -> login.login("e2e-newcomer", "e2e-newcomer-password", null, "pwd"))
                .isInstanceOf(LoginException.class).hasMessageContaining("kc-totp-settings-form");
    }

    @Test
    void channelsSetUpThroughTheGatewayDeliverANewReleasesEventToTheDemoReceiver() {
        Assumptions.assumeTrue(platform.isUp(NOTIFICATION),
                () -> "waits for notification-service: " + platform.whyUnavailable(NOTIFICATION));
        String token = rileyLevelTwo().accessToken();
        String notifications = platform.isUp(GATEWAY) ? platform.url(GATEWAY) : platform.url(NOTIFICATION);
        Http.Response webhook = Http.send("POST", notifications + "/api/channels", token, "application/json",
                "{\"product\":\"toolboxai\",\"name\":\"e2e webhook\",\"type\":\"WEBHOOK\",\"url\":\""
                        + platform.receiverUrl() + "/hooks/e2e-release-team\",\"secret\":\""
                        + DemoReceiver.DEMO_WEBHOOK_SECRET + "\",\"eventTypes\":[\"release.created\"]}");
        assertThat(webhook.status()).as(webhook.toString()).isEqualTo(201);
        assertThat(webhook.json().path("hasSecret").asBoolean()).isTrue();
        Http.Response email = Http.send("POST", notifications + "/api/channels", token, "application/json",
                "{\"product\":\"toolboxai\",\"name\":\"e2e e-mail\",\"type\":\"EMAIL\","
                        + "\"recipients\":[\"e2e-release-team@example.com\"],\"eventTypes\":[\"release.created\"]}");
        assertThat(email.status()).as(email.toString()).isEqualTo(201);
        // The demo receiver's port is allowed on loopback; the services beside it are not.
        Http.Response internal = Http.send("POST", notifications + "/api/channels", token, "application/json",
                "{\"product\":\"toolboxai\",\"name\":\"e2e internal\",\"type\":\"WEBHOOK\",\"url\":\""
                        + platform.url(CHECKLIST) + "/actuator/health\"}");
        assertThat(internal.status()).as(internal.toString()).isEqualTo(422);
        assertThat(internal.json().path("type").asString()).endsWith("/forbidden-address");

        String markdown;
        try {
            markdown = Platform.resource("/fixtures/release-checklist-v1.1.0.md").replace("1.1.0", "1.1.9");
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        Http.Response created = Http.send("POST", api() + "/api/releases?product=toolboxai", token, "text/markdown",
                markdown);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String releaseId = created.json().path("id").asString();

        // checklist-service's outbox relay -> notification-service -> the webhook (signed) and the e-mail (SMTP).
        JsonNode signed = awaitMessage(m -> m.path("channel").asString().equals("webhook")
                && m.path("body").asString().contains(releaseId));
        assertThat(signed.path("title").asString()).startsWith("release.created");
        assertThat(signed.path("signature").asString()).isEqualTo("valid");
        assertThat(signed.path("target").asString()).isEqualTo("/hooks/e2e-release-team");
        JsonNode mail = awaitMessage(m -> m.path("channel").asString().equals("email")
                && m.path("target").asString().equals("e2e-release-team@example.com")
                && m.path("body").asString().contains(releaseId));
        assertThat(mail.path("title").asString()).contains("1.1.9");
        // And the service's own record says so: both deliveries DELIVERED (recorded just after the receiver answers).
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        List<String> delivered = new ArrayList<>();
        do {
            Http.Response deliveries = Http.get(notifications + "/api/deliveries?releaseId=" + releaseId, token);
            assertThat(deliveries.status()).as(deliveries.toString()).isEqualTo(200);
            delivered.clear();
            deliveries.json().path("items").forEach(d -> delivered.add(d.path("status").asString()));
            if (delivered.size() >= 2 && delivered.stream().allMatch("DELIVERED"::equals)) {
                break;
            }
            Platform.sleep(Duration.ofMillis(500));
        } while (Instant.now().isBefore(deadline));
        assertThat(delivered).hasSize(2).containsOnly("DELIVERED");
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /** The first message in the demo receiver's inbox that matches, waiting up to 60 s for it. */
    static JsonNode awaitMessage(java.util.function.Predicate<JsonNode> wanted) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        Http.Response inbox = null;
        while (Instant.now().isBefore(deadline)) {
            inbox = Http.get(platform.receiverUrl() + "/messages", null);
            for (JsonNode message : inbox.json().path("messages")) {
                if (wanted.test(message)) {
                    return message;
                }
            }
            Platform.sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("no such message in the demo receiver's inbox within 60 s: " + inbox);
    }

    /** Through the gateway when it runs (the way users come in), else straight to checklist-service. */
    static String api() {
        return platform.isUp(GATEWAY) ? platform.url(GATEWAY) : platform.url(CHECKLIST);
    }

    static synchronized Tokens rileyLevelTwo() {
        if (riley == null) {
            riley = login.login("riley", DemoUsers.PASSWORD, DemoUsers.totpSecret("riley"), "mfa");
        }
        return riley;
    }

    static synchronized JsonNode toolboxaiRelease() {
        Assumptions.assumeTrue(importFailure == null, () -> "the fixture import failed earlier: " + importFailure);
        if (release == null) {
            try {
                Http.Response created = Http.send("POST", api() + "/api/releases?product=toolboxai",
                        rileyLevelTwo().accessToken(), "text/markdown",
                        Platform.resource("/fixtures/release-checklist-v1.1.0.md"));
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                release = created.json();
            }
            catch (java.io.IOException ex) {
                importFailure = ex.getMessage();
                throw new IllegalStateException(ex);
            }
            catch (RuntimeException | AssertionError ex) {
                importFailure = ex.getMessage();
                throw ex;
            }
        }
        return release;
    }

    /** A release of otherco, imported by a release manager of otherco created for this run (no demo user is one). */
    static String othercoRelease() throws Exception {
        admin().createUser("e2e-otherco-rm", "otherco", "release-manager", true);
        String token = login.login("e2e-otherco-rm", "e2e-otherco-rm-password", null, "pwd").accessToken();
        Http.Response created = Http.send("POST", api() + "/api/releases?product=otherco", token, "text/markdown",
                Platform.resource("/fixtures/release-checklist-v1.1.0.md"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    static String clientCredentials(String clientId, String secret) {
        Http.Response token = Http.form(platform.issuer() + "/protocol/openid-connect/token",
                "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret);
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        return token.json().path("access_token").asString();
    }

    static String etag(Http.Response read) {
        return read.headers().firstValue("ETag")
                .orElse("\"" + read.json().path("checklistVersion").asString() + "\"");
    }

    static Admin admin() {
        return new Admin();
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(node -> values.add(node.asString()));
        }
        else if (!array.isMissingNode()) {
            values.add(array.asString());
        }
        return values;
    }

    /** Keycloak's admin API, as the bootstrap administrator of this run. */
    static final class Admin {

        private final String token;

        Admin() {
            Http.Response answer = Http.form(platform.keycloakUrl() + "/realms/master/protocol/openid-connect/token",
                    "grant_type=password&client_id=admin-cli&username=" + Platform.ADMIN_USER + "&password="
                            + Platform.ADMIN_PASSWORD);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            token = answer.json().path("access_token").asString();
        }

        String userId(String username) {
            Http.Response users = Http.get(base() + "/users?exact=true&username="
                    + URLEncoder.encode(username, StandardCharsets.UTF_8), token);
            assertThat(users.status()).as(users.toString()).isEqualTo(200);
            return users.json().get(0).path("id").asString();
        }

        JsonNode bruteForce(String userId) {
            Http.Response state = Http.get(base() + "/attack-detection/brute-force/users/" + userId, token);
            assertThat(state.status()).as(state.toString()).isEqualTo(200);
            return state.json();
        }

        /** A user with password {@code <username>-password}; {@code withoutRequiredActions} clears CONFIGURE_TOTP. */
        void createUser(String username, String product, String role, boolean withoutRequiredActions) {
            Map<String, Object> user = new java.util.LinkedHashMap<>(Map.of("username", username, "enabled", true,
                    "email", username + "@liftoff.example", "emailVerified", true, "firstName", "E2e",
                    "lastName", "User", "groups", List.of("/products/" + product),
                    "credentials", List.of(Map.of("type", "password", "value", username + "-password",
                            "temporary", false))));
            if (withoutRequiredActions) {
                user.put("requiredActions", List.of());
            }
            Http.Response created = Http.send("POST", base() + "/users", token, "application/json",
                    Http.JSON.writeValueAsString(user));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String id = userId(username);
            if (withoutRequiredActions) {
                Http.Response cleared = Http.send("PUT", base() + "/users/" + id, token, "application/json",
                        "{\"requiredActions\":[]}");
                assertThat(cleared.status()).as(cleared.toString()).isEqualTo(204);
            }
            JsonNode roleRep = Http.get(base() + "/roles/" + role, token).json();
            Http.Response mapped = Http.send("POST", base() + "/users/" + id + "/role-mappings/realm", token,
                    "application/json", "[" + roleRep + "]");
            assertThat(mapped.status()).as(mapped.toString()).isEqualTo(204);
        }

        private String base() {
            return platform.keycloakUrl() + "/admin/realms/liftoff";
        }
    }
}
