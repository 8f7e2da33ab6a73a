package io.liftoff.infra.realm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.liftoff.infra.login.DemoUsers;
import io.liftoff.infra.login.Totp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards the realm file against drift from DESIGN.md section 5: OAuth 2.1 grants, PKCE, exact redirect URIs, token
 * lifetimes, refresh-token rotation, brute-force lockout, the OTP policy and step-up flow, roles, groups, claims and
 * the demo users.
 */
class RealmSettingsTest {

    static final List<String> SERVICES = List.of("checklist-service", "signoff-service", "monitoring-service",
            "notification-service");

    static final Set<String> EVERY_AUDIENCE = Set.of("checklist-service", "signoff-service", "monitoring-service",
            "notification-service", "liftoff-gateway");

    static JsonNode realm;

    @BeforeAll
    static void readRealm() throws IOException {
        realm = new ObjectMapper().readTree(Files.readString(Path.of("keycloak/liftoff-realm.json")));
    }

    @Test
    void tokensAreRs256AndLiveFifteenMinutes() {
        assertThat(realm.path("realm").asString()).isEqualTo("liftoff");
        assertThat(realm.path("defaultSignatureAlgorithm").asString()).isEqualTo("RS256");
        assertThat(realm.path("accessTokenLifespan").asInt()).isEqualTo(900);
        for (JsonNode client : clients()) {
            assertThat(client.path("attributes").path("access.token.signed.response.alg").asString("RS256"))
                    .as(client.path("clientId").asString()).isEqualTo("RS256");
            assertThat(client.path("attributes").path("access.token.lifespan").asString(""))
                    .as("no client overrides the realm's access token lifetime").isEmpty();
        }
    }

    @Test
    void refreshTokensRotateAndAReusedOneIsRefused() {
        assertThat(realm.path("revokeRefreshToken").asBoolean()).isTrue();
        assertThat(realm.path("refreshTokenMaxReuse").asInt(-1)).isZero();
    }

    @Test
    void fiveFailedLoginsWithinFiveMinutesLockTheAccount() {
        assertThat(realm.path("bruteForceProtected").asBoolean()).isTrue();
        assertThat(realm.path("failureFactor").asInt()).isEqualTo(5);
        assertThat(realm.path("maxDeltaTimeSeconds").asInt()).isEqualTo(300);
        assertThat(realm.path("waitIncrementSeconds").asInt()).as("lockout length").isGreaterThanOrEqualTo(300);
        assertThat(realm.path("maxFailureWaitSeconds").asInt()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void otpPolicyIsSixDigitTotpWithHmacSha1EveryThirtySecondsUsedOnce() {
        assertThat(realm.path("otpPolicyType").asString()).isEqualTo("totp");
        assertThat(realm.path("otpPolicyAlgorithm").asString()).isEqualTo("HmacSHA1");
        assertThat(realm.path("otpPolicyDigits").asInt()).isEqualTo(6);
        assertThat(realm.path("otpPolicyPeriod").asInt()).isEqualTo(30);
        assertThat(realm.path("otpPolicyCodeReusable").asBoolean(true)).isFalse();
    }

    @Test
    void newUsersMustConfigureTotp() {
        JsonNode totp = find(realm.path("requiredActions"), "alias", "CONFIGURE_TOTP");
        assertThat(totp.path("enabled").asBoolean()).isTrue();
        assertThat(totp.path("defaultAction").asBoolean()).isTrue();
    }

    @Test
    void browserFlowStepsUpFromPasswordToPasswordAndTotp() throws IOException {
        assertThat(new ObjectMapper().readTree(realm.path("attributes").path("acr.loa.map").asString()))
                .isEqualTo(new ObjectMapper().readTree("{\"pwd\":1,\"mfa\":2}"));
        assertThat(realm.path("browserFlow").asString()).isEqualTo("liftoff-browser");
        JsonNode browser = flow("liftoff-browser");
        assertThat(authenticators(browser)).containsExactly("auth-cookie", "flow:liftoff-browser-forms");
        assertThat(authenticators(flow("liftoff-browser-forms")))
                .containsExactly("flow:liftoff-level-1", "flow:liftoff-level-2");
        assertThat(authenticators(flow("liftoff-level-1")))
                .containsExactly("conditional-level-of-authentication", "auth-username-password-form");
        assertThat(authenticators(flow("liftoff-level-2")))
                .containsExactly("conditional-level-of-authentication", "auth-otp-form");
        assertThat(loaLevel("liftoff-level-1")).isEqualTo("1");
        assertThat(loaLevel("liftoff-level-2")).isEqualTo("2");
        for (String alias : List.of("liftoff-level-1", "liftoff-level-2")) {
            for (JsonNode execution : flow(alias).path("authenticationExecutions")) {
                assertThat(execution.path("requirement").asString()).as(alias).isEqualTo("REQUIRED");
            }
        }
    }

    @Test
    void onlyTheCliClientHasTheBrowserFlowWithPkceS256AndOneExactRedirect() {
        JsonNode cli = client("liftoff-cli");
        assertThat(cli.path("publicClient").asBoolean()).isTrue();
        assertThat(cli.path("standardFlowEnabled").asBoolean()).isTrue();
        assertThat(cli.path("serviceAccountsEnabled").asBoolean()).isFalse();
        assertThat(cli.path("attributes").path("pkce.code.challenge.method").asString()).isEqualTo("S256");
        assertThat(strings(cli.path("redirectUris"))).containsExactly("http://127.0.0.1:8765/callback");
        assertThat(strings(cli.path("defaultClientScopes"))).contains("acr", "basic", "roles");
        assertThat(strings(cli.path("optionalClientScopes"))).as("no offline tokens").doesNotContain("offline_access");
        for (JsonNode client : clients()) {
            if (!client.path("clientId").asString().equals("liftoff-cli")) {
                assertThat(client.path("standardFlowEnabled").asBoolean()).as(client.path("clientId").asString())
                        .isFalse();
                assertThat(strings(client.path("redirectUris"))).isEmpty();
            }
        }
    }

    @Test
    void implicitPasswordAndDeviceGrantsAreOffOnEveryClient() {
        for (JsonNode client : clients()) {
            String id = client.path("clientId").asString();
            assertThat(client.path("implicitFlowEnabled").asBoolean(true)).as(id + " implicit").isFalse();
            assertThat(client.path("directAccessGrantsEnabled").asBoolean(true)).as(id + " password").isFalse();
            assertThat(client.path("attributes").path("oauth2.device.authorization.grant.enabled").asString())
                    .as(id + " device").isEqualTo("false");
            assertThat(strings(client.path("redirectUris"))).as(id).noneMatch(uri -> uri.contains("*"));
        }
    }

    @ParameterizedTest
    @MethodSource("serviceClients")
    void eachServiceIsAConfidentialClientCredentialsClientWithRoleServiceAndTheOtherServicesAudiences(String id) {
        JsonNode client = client(id);
        assertThat(client.path("publicClient").asBoolean(true)).isFalse();
        assertThat(client.path("serviceAccountsEnabled").asBoolean()).isTrue();
        assertThat(client.path("secret").asString()).isEqualTo("demo-" + id + "-secret");
        assertThat(audiences(client)).containsAll(EVERY_AUDIENCE.stream().filter(aud -> !aud.equals(id)).toList());
        assertThat(serviceAccountRoles(id)).contains("service").doesNotContain("admin", "partner");
    }

    static Stream<String> serviceClients() {
        return SERVICES.stream();
    }

    @Test
    void partnerClientReadsOnlyToolboxai() {
        JsonNode partner = client("partner-toolboxai");
        assertThat(partner.path("publicClient").asBoolean(true)).isFalse();
        assertThat(partner.path("serviceAccountsEnabled").asBoolean()).isTrue();
        assertThat(audiences(partner)).containsAll(EVERY_AUDIENCE);
        assertThat(serviceAccountRoles("partner-toolboxai")).contains("partner")
                .doesNotContain("service", "admin", "auditor", "release-manager", "engineer");
        JsonNode products = mapper(partner, "oidc-hardcoded-claim-mapper");
        assertThat(products.path("config").path("claim.name").asString()).isEqualTo("products");
        assertThat(products.path("config").path("claim.value").asString()).isEqualTo("[\"toolboxai\"]");
        assertThat(products.path("config").path("jsonType.label").asString()).isEqualTo("JSON");
    }

    @Test
    void alertmanagerHasItsOwnServiceClientForMonitoringServiceOnly() {
        JsonNode alertmanager = client("alertmanager");
        assertThat(alertmanager.path("publicClient").asBoolean(true)).isFalse();
        assertThat(alertmanager.path("serviceAccountsEnabled").asBoolean()).isTrue();
        assertThat(audiences(alertmanager)).containsExactly("monitoring-service");
        assertThat(serviceAccountRoles("alertmanager")).contains("service");
    }

    @Test
    void peoplesTokensCarryEveryAudienceTheirProductsAcrAndAuthTime() {
        JsonNode cli = client("liftoff-cli");
        assertThat(audiences(cli)).containsAll(EVERY_AUDIENCE);
        JsonNode products = mapper(cli, "oidc-group-membership-mapper");
        assertThat(products.path("config").path("claim.name").asString()).isEqualTo("products");
        assertThat(products.path("config").path("full.path").asString()).isEqualTo("false");
        assertThat(products.path("config").path("access.token.claim").asString()).isEqualTo("true");
        // acr comes from the built-in `acr` scope, auth_time from the built-in `basic` scope.
        assertThat(strings(cli.path("defaultClientScopes"))).contains("acr", "basic");
    }

    @Test
    void realmRolesAndProductGroupsAreThoseOfTheDesign() {
        List<String> roles = new ArrayList<>();
        realm.path("roles").path("realm").forEach(role -> roles.add(role.path("name").asString()));
        assertThat(roles).containsExactlyInAnyOrder("release-manager", "engineer", "viewer", "auditor", "admin",
                "service", "partner", "engineering-manager", "security-lead", "qa-lead", "devops-lead",
                "product-manager", "engineering-lead");
        JsonNode products = find(realm.path("groups"), "name", "products");
        List<String> subGroups = new ArrayList<>();
        products.path("subGroups").forEach(group -> subGroups.add(group.path("path").asString()));
        assertThat(subGroups).containsExactlyInAnyOrder("/products/toolboxai", "/products/otherco");
    }

    @ParameterizedTest
    @MethodSource("demoUsers")
    void demoUsersHaveTheirRoleProductPasswordAndDocumentedTotpSecret(String username, String role, String product) {
        JsonNode user = find(realm.path("users"), "username", username);
        assertThat(user.path("enabled").asBoolean()).isTrue();
        assertThat(strings(user.path("realmRoles"))).contains(role);
        assertThat(strings(user.path("groups"))).containsExactlyElementsOf(
                product.isEmpty() ? List.of() : List.of("/products/" + product));
        assertThat(strings(user.path("requiredActions"))).isEmpty();
        JsonNode password = find(user.path("credentials"), "type", "password");
        assertThat(password.path("value").asString()).isEqualTo(DemoUsers.PASSWORD);
        JsonNode otp = find(user.path("credentials"), "type", "otp");
        JsonNode secret = new ObjectMapper().readTree(otp.path("secretData").asString());
        assertThat(secret.path("value").asString()).isEqualTo(DemoUsers.otpCredentialValue(username));
        assertThat(Totp.base32Decode(DemoUsers.totpSecret(username)))
                .isEqualTo(secret.path("value").asString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        JsonNode data = new ObjectMapper().readTree(otp.path("credentialData").asString());
        assertThat(data.path("subType").asString()).isEqualTo("totp");
        assertThat(data.path("digits").asInt()).isEqualTo(6);
        assertThat(data.path("period").asInt()).isEqualTo(30);
        assertThat(data.path("algorithm").asString()).isEqualTo("HmacSHA1");
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> demoUsers() {
        return Map.ofEntries(Map.entry("riley", "release-manager:toolboxai"), Map.entry("eli", "engineer:toolboxai"),
                Map.entry("emma", "engineering-manager:toolboxai"), Map.entry("sam", "security-lead:toolboxai"),
                Map.entry("quinn", "qa-lead:toolboxai"), Map.entry("dana", "devops-lead:toolboxai"),
                Map.entry("paula", "product-manager:toolboxai"), Map.entry("lee", "engineering-lead:toolboxai"),
                Map.entry("ada", "auditor:"), Map.entry("olga", "engineer:otherco"),
                Map.entry("lockout-demo", "viewer:toolboxai"))
                .entrySet().stream().map(entry -> {
                    String[] roleAndProduct = entry.getValue().split(":", -1);
                    return org.junit.jupiter.params.provider.Arguments.of(entry.getKey(), roleAndProduct[0],
                            roleAndProduct[1]);
                });
    }

    @Test
    void everyDemoUserOfTheLoginToolIsInTheRealm() {
        for (String username : DemoUsers.NAMES) {
            assertThat(find(realm.path("users"), "username", username).isMissingNode()).as(username).isFalse();
        }
    }

    @Test
    void theReadmeDocumentsEachDemoUsersWorkingTotpSecret() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (String username : DemoUsers.NAMES) {
            assertThat(readme).as(username).containsPattern(
                    "(?m)^\\| " + username + " \\|.*\\| `" + DemoUsers.totpSecret(username) + "` \\|$");
        }
    }

    @Test
    void totpMatchesTheRfc6238ReferenceVector() {
        // RFC 6238 appendix B: SHA-1, secret "12345678901234567890", T = 59 s -> 94287082 (8 digits; 6 kept).
        String secret = Totp.base32Encode("12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(Totp.code(secret, java.time.Instant.ofEpochSecond(59))).isEqualTo("287082");
        assertThat(Totp.code(secret, java.time.Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
    }

    private static List<JsonNode> clients() {
        List<JsonNode> clients = new ArrayList<>();
        realm.path("clients").forEach(clients::add);
        assertThat(clients).isNotEmpty();
        return clients;
    }

    private static JsonNode client(String clientId) {
        JsonNode client = find(realm.path("clients"), "clientId", clientId);
        assertThat(client.isMissingNode()).as("client " + clientId).isFalse();
        return client;
    }

    private static JsonNode flow(String alias) {
        JsonNode flow = find(realm.path("authenticationFlows"), "alias", alias);
        assertThat(flow.isMissingNode()).as("flow " + alias).isFalse();
        return flow;
    }

    private static List<String> authenticators(JsonNode flow) {
        List<JsonNode> executions = new ArrayList<>();
        flow.path("authenticationExecutions").forEach(executions::add);
        executions.sort((a, b) -> Integer.compare(a.path("priority").asInt(), b.path("priority").asInt()));
        return executions.stream().map(execution -> execution.path("authenticatorFlow").asBoolean()
                ? "flow:" + execution.path("flowAlias").asString() : execution.path("authenticator").asString())
                .toList();
    }

    private static String loaLevel(String flowAlias) {
        for (JsonNode execution : flow(flowAlias).path("authenticationExecutions")) {
            if ("conditional-level-of-authentication".equals(execution.path("authenticator").asString())) {
                JsonNode config = find(realm.path("authenticatorConfig"), "alias",
                        execution.path("authenticatorConfig").asString());
                return config.path("config").path("loa-condition-level").asString();
            }
        }
        return null;
    }

    private static List<String> audiences(JsonNode client) {
        List<String> audiences = new ArrayList<>();
        for (JsonNode mapper : client.path("protocolMappers")) {
            if ("oidc-audience-mapper".equals(mapper.path("protocolMapper").asString())
                    && "true".equals(mapper.path("config").path("access.token.claim").asString())) {
                audiences.add(mapper.path("config").path("included.custom.audience").asString());
            }
        }
        return audiences;
    }

    private static JsonNode mapper(JsonNode client, String type) {
        JsonNode mapper = find(client.path("protocolMappers"), "protocolMapper", type);
        assertThat(mapper.isMissingNode()).as(type + " on " + client.path("clientId").asString()).isFalse();
        return mapper;
    }

    private static List<String> serviceAccountRoles(String clientId) {
        JsonNode account = find(realm.path("users"), "serviceAccountClientId", clientId);
        assertThat(account.isMissingNode()).as("service account of " + clientId).isFalse();
        return strings(account.path("realmRoles"));
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode node : array) {
            if (value.equals(node.path(field).asString(null))) {
                return node;
            }
        }
        return tools.jackson.databind.node.MissingNode.getInstance();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asString()));
        return values;
    }
}
