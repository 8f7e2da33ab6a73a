package io.liftoff.signoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import io.liftoff.common.testing.Api;
import io.liftoff.signoff.support.AbstractIntegrationTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** One row per malformed or refused submission, each asserting the exact status and problem type. */
class SignoffBadInputTest extends AbstractIntegrationTest {

    private static final String P = "https://liftoff.dev/problems/";

    static Stream<Arguments> badSubmissions() {
        String longComment = "x".repeat(2001);
        return Stream.of(
                Arguments.of("unknown role", "security-lead", signoffJson("cto", "APPROVE"), "DRAFT", 400, "unknown-role"),
                Arguments.of("a role the release does not need", "product-manager",
                        signoffJson("product-manager", "APPROVE"), "DRAFT", 422, "role-not-required"),
                Arguments.of("missing attestations", "release-manager", signoffJson("release-manager", "APPROVE"),
                        "MONITORING", 422, "attestations-missing"),
                Arguments.of("comment over the limit", "security-lead",
                        "{\"role\":\"security-lead\",\"decision\":\"APPROVE\",\"comment\":\"" + longComment + "\"}",
                        "DRAFT", 400, "validation-failed"),
                Arguments.of("unknown decision", "security-lead", signoffJson("security-lead", "MAYBE"), "DRAFT", 400,
                        "malformed-body"),
                Arguments.of("no role", "security-lead", "{\"decision\":\"APPROVE\"}", "DRAFT", 400,
                        "validation-failed"),
                Arguments.of("not JSON", "security-lead", "role=security-lead", "DRAFT", 400, "malformed-body"),
                Arguments.of("a role the signer does not hold", "security-lead", signoffJson("qa-lead", "APPROVE"),
                        "DRAFT", 403, "role-not-held"),
                Arguments.of("a pre-release role after deployment", "security-lead",
                        signoffJson("security-lead", "APPROVE"), "DEPLOYING", 409, "release-closed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSubmissions")
    void badSubmissionsAreRefusedWithTheirProblemType(String name, String heldRole, String body, String status,
            int expectedStatus, String expectedType) {
        String id = newRelease(release -> {
            release.put("status", status);
            removeSignoffItem(release, "product-manager");
        });
        Api.Response response = api.json("/api/releases/" + id + "/signoffs", signer("pat", heldRole), body);
        assertThat(response.status()).as(response.body()).isEqualTo(expectedStatus);
        assertThat(response.problemType()).isEqualTo(P + expectedType);
        assertThat(api.get("/api/releases/" + id + "/signoffs", viewer()).json().path("signoffs").size()).isZero();
    }

    private static void removeSignoffItem(ObjectNode release, String role) {
        remove((ArrayNode) release.path("items"), role);
    }

    private static void remove(ArrayNode items, String role) {
        for (int i = items.size() - 1; i >= 0; i--) {
            JsonNode item = items.get(i);
            if (role.equals(item.path("signoff").path("role").asString(null))) {
                items.remove(i);
            }
            else if (item.path("children").isArray()) {
                remove((ArrayNode) item.path("children"), role);
            }
        }
    }
}
