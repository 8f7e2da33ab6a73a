package io.liftoff.checklist.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import java.util.stream.Stream;

import io.liftoff.checklist.support.AbstractIntegrationTest;
import io.liftoff.common.testing.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Who may call what, for every endpoint: no token 401, a role that may not 403, another product's release 404, and
 * the allowed caller. Creating in another product is 403 (nothing of it exists to hide). Templates belong to no
 * product.
 */
class AccessIT extends AbstractIntegrationTest {

    private static String releaseId;
    private static String itemId;
    private static String templateId;

    @BeforeEach
    void data() {
        if (releaseId == null) {
            JsonNode release = api.post("/api/releases?product=toolboxai", riley(), "text/markdown",
                    fixture(nextVersion())).json();
            releaseId = release.path("id").asString();
            itemId = flatten(release.path("items")).stream()
                    .filter(i -> i.path("key").asString().endsWith("staging-environment/smoke-tests-in-staging"))
                    .findFirst().orElseThrow().path("id").asString();
            templateId = api.post("/api/templates?name=access&publish=false", riley(), "text/markdown", fixture())
                    .json().path("id").asString();
        }
    }

    enum Caller {
        NONE(() -> null), NO_ROLES(AbstractIntegrationTest::noRoles), VIEWER(AbstractIntegrationTest::viewer),
        ENGINEER(AbstractIntegrationTest::eli), MANAGER(AbstractIntegrationTest::riley),
        AUDITOR(AbstractIntegrationTest::ada), OTHER_PRODUCT(AbstractIntegrationTest::olga),
        SERVICE(AbstractIntegrationTest::monitoringService);

        final Supplier<String> token;

        Caller(Supplier<String> token) {
            this.token = token;
        }
    }

    static Stream<Arguments> matrix() {
        return Stream.of(
                // create a release (Markdown import)
                Arguments.of("create", Caller.NONE, 401), Arguments.of("create", Caller.ENGINEER, 403),
                Arguments.of("create", Caller.AUDITOR, 403), Arguments.of("create", Caller.OTHER_PRODUCT, 403),
                Arguments.of("create", Caller.MANAGER, 201),
                // list releases
                Arguments.of("list", Caller.NONE, 401), Arguments.of("list", Caller.NO_ROLES, 403),
                Arguments.of("list", Caller.VIEWER, 200),
                // read one release
                Arguments.of("get", Caller.NONE, 401), Arguments.of("get", Caller.NO_ROLES, 403),
                Arguments.of("get", Caller.OTHER_PRODUCT, 404), Arguments.of("get", Caller.VIEWER, 200),
                Arguments.of("get", Caller.AUDITOR, 200), Arguments.of("get", Caller.SERVICE, 200),
                Arguments.of("markdown", Caller.NONE, 401), Arguments.of("markdown", Caller.OTHER_PRODUCT, 404),
                Arguments.of("markdown", Caller.VIEWER, 200),
                // items
                Arguments.of("item", Caller.NONE, 401), Arguments.of("item", Caller.NO_ROLES, 403),
                Arguments.of("item", Caller.OTHER_PRODUCT, 404), Arguments.of("item", Caller.VIEWER, 200),
                Arguments.of("history", Caller.NONE, 401), Arguments.of("history", Caller.NO_ROLES, 403),
                Arguments.of("history", Caller.OTHER_PRODUCT, 404), Arguments.of("history", Caller.AUDITOR, 200),
                Arguments.of("patch", Caller.NONE, 401), Arguments.of("patch", Caller.VIEWER, 403),
                Arguments.of("patch", Caller.AUDITOR, 403), Arguments.of("patch", Caller.OTHER_PRODUCT, 404),
                Arguments.of("patch", Caller.ENGINEER, 200),
                // lifecycle
                Arguments.of("transition", Caller.NONE, 401), Arguments.of("transition", Caller.ENGINEER, 403),
                Arguments.of("transition", Caller.AUDITOR, 403),
                Arguments.of("transition", Caller.OTHER_PRODUCT, 404),
                Arguments.of("transition", Caller.MANAGER, 409),
                // templates
                Arguments.of("createTemplate", Caller.NONE, 401), Arguments.of("createTemplate", Caller.ENGINEER, 403),
                Arguments.of("createTemplate", Caller.AUDITOR, 403),
                Arguments.of("createTemplate", Caller.MANAGER, 201),
                Arguments.of("listTemplates", Caller.NONE, 401), Arguments.of("listTemplates", Caller.NO_ROLES, 403),
                Arguments.of("listTemplates", Caller.ENGINEER, 200),
                Arguments.of("getTemplate", Caller.NONE, 401), Arguments.of("getTemplate", Caller.NO_ROLES, 403),
                Arguments.of("getTemplate", Caller.VIEWER, 200),
                Arguments.of("templateVersion", Caller.NONE, 401),
                Arguments.of("templateVersion", Caller.NO_ROLES, 403),
                Arguments.of("templateVersion", Caller.VIEWER, 200),
                Arguments.of("addVersion", Caller.NONE, 401), Arguments.of("addVersion", Caller.ENGINEER, 403),
                Arguments.of("addVersion", Caller.MANAGER, 201),
                Arguments.of("publish", Caller.NONE, 401), Arguments.of("publish", Caller.ENGINEER, 403),
                Arguments.of("publish", Caller.AUDITOR, 403));
    }

    @ParameterizedTest(name = "{0} by {1} → {2}")
    @MethodSource("matrix")
    void everyEndpointSaysWhoMayCallIt(String operation, Caller caller, int expected) {
        String token = caller.token.get();
        Api.Response response = switch (operation) {
            case "create" -> api.post("/api/releases?product=toolboxai", token, "text/markdown",
                    fixture(nextVersion()));
            case "list" -> api.get("/api/releases", token);
            case "get" -> api.get("/api/releases/" + releaseId, token);
            case "markdown" -> api.get("/api/releases/" + releaseId, token, "text/markdown");
            case "item" -> api.get("/api/releases/" + releaseId + "/items/" + itemId, token);
            case "history" -> api.get("/api/releases/" + releaseId + "/items/" + itemId + "/history", token);
            case "patch" -> api.patch("/api/releases/" + releaseId + "/items/" + itemId, token, "*",
                    "{\"state\":\"DONE\"}");
            case "transition" -> api.json("/api/releases/" + releaseId + "/transitions", token,
                    "{\"to\":\"RELEASED\"}");
            case "createTemplate" -> api.post("/api/templates?name=t", token, "text/markdown", fixture());
            case "listTemplates" -> api.get("/api/templates", token);
            case "getTemplate" -> api.get("/api/templates/" + templateId, token);
            case "templateVersion" -> api.get("/api/templates/" + templateId + "/versions/1", token);
            case "addVersion" -> api.post("/api/templates/" + templateId + "/versions", token, "text/markdown",
                    fixture());
            case "publish" -> api.post("/api/templates/" + templateId + "/versions/1/publish", token,
                    "application/json", "");
            default -> throw new IllegalArgumentException(operation);
        };

        assertThat(response.status()).as(response.body()).isEqualTo(expected);
        if (expected >= 400) {
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().path("status").asInt()).isEqualTo(expected);
        }
        if (expected == 401) {
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        }
    }
}
