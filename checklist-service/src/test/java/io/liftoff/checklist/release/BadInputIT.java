package io.liftoff.checklist.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Stream;

import io.liftoff.checklist.support.AbstractIntegrationTest;
import io.liftoff.common.testing.Api;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Bad input gets a problem with the right status and type, never a 500, and nothing already stored changes: the
 * release's stored document is byte-identical before and after every refused request.
 */
class BadInputIT extends AbstractIntegrationTest {

    private static final String PROBLEMS = "https://liftoff.dev/problems/";

    private String releaseId;
    private String itemId;
    private String etag;

    @BeforeEach
    void release() {
        Api.Response created = api.post("/api/releases?product=toolboxai", riley(), "text/markdown",
                fixture(nextVersion()));
        JsonNode release = created.json();
        releaseId = release.path("id").asString();
        etag = created.header("ETag");
        itemId = flatten(release.path("items")).stream()
                .filter(i -> i.path("key").asString().endsWith("staging-environment/smoke-tests-in-staging"))
                .findFirst().orElseThrow().path("id").asString();
    }

    record Case(String name, Function<BadInputIT, Api.Response> request, int status, String type) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        String tooManyItems = "# Big\n\n## Section\n" + "- [ ] item\n".repeat(10_000);
        String binary = "\u0000\u0001\u0002PNG\u0000" + "x".repeat(100);
        return Stream.of(
                new Case("malformed JSON on an item", t -> t.patchItem("{\"state\":"), 400, "malformed-body"),
                new Case("unknown item state", t -> t.patchItem("{\"state\":\"FINISHED\"}"), 400, "malformed-body"),
                new Case("missing item state", t -> t.patchItem("{\"note\":\"x\"}"), 400, "validation-failed"),
                new Case("note over 2000 characters",
                        t -> t.patchItem("{\"state\":\"DONE\",\"note\":\"" + "n".repeat(2001) + "\"}"), 400,
                        "validation-failed"),
                new Case("evidence that is not a link",
                        t -> t.patchItem("{\"state\":\"DONE\",\"evidence\":\"javascript:alert(1)\"}"), 400,
                        "validation-failed"),
                new Case("an item that does not exist",
                        t -> t.api.patch("/api/releases/" + t.releaseId + "/items/nope", eli(), t.etag,
                                "{\"state\":\"DONE\"}"), 404, "not-found"),
                new Case("a stale ETag",
                        t -> t.api.patch("/api/releases/" + t.releaseId + "/items/" + t.itemId, eli(), "\"0\"",
                                "{\"state\":\"DONE\"}"), 412, "precondition-failed"),
                new Case("unknown lifecycle state",
                        t -> t.api.json("/api/releases/" + t.releaseId + "/transitions", riley(),
                                "{\"to\":\"LAUNCHED\"}"), 400, "malformed-body"),
                new Case("a transition the lifecycle does not have",
                        t -> t.api.json("/api/releases/" + t.releaseId + "/transitions", riley(),
                                "{\"to\":\"RELEASED\"}"), 409, "transition-refused"),
                new Case("unknown release type parameter",
                        t -> t.api.post("/api/releases?product=toolboxai&type=MEGA", riley(), "text/markdown",
                                fixture(nextVersion())), 400, "invalid-parameter"),
                new Case("an invalid semantic version",
                        t -> t.api.post("/api/releases?product=toolboxai&version=1.1", riley(), "text/markdown",
                                fixture()), 400, "invalid-version"),
                new Case("an invalid version in the document",
                        t -> t.api.post("/api/releases?product=toolboxai", riley(), "text/markdown",
                                fixture("one-point-one")), 400, "invalid-version"),
                new Case("Markdown import without product",
                        t -> t.api.post("/api/releases", riley(), "text/markdown", fixture(nextVersion())), 400,
                        "invalid-parameter"),
                new Case("Markdown with no checklist in it",
                        t -> t.api.post("/api/releases?product=toolboxai&version=" + nextVersion() + "&type=MINOR",
                                riley(), "text/markdown", "# Notes\n\nJust prose, no boxes.\n"), 422,
                        "invalid-markdown"),
                new Case("a binary upload",
                        t -> t.api.postBytes("/api/releases?product=toolboxai", riley(), "application/octet-stream",
                                binary.getBytes(StandardCharsets.ISO_8859_1)), 415, "unsupported-media-type"),
                new Case("binary bytes sent as Markdown",
                        t -> t.api.postBytes("/api/releases?product=toolboxai&version=" + nextVersion()
                                + "&type=MINOR", riley(), "text/markdown",
                                binary.getBytes(StandardCharsets.ISO_8859_1)), 422, "invalid-markdown"),
                new Case("a body over the size limit",
                        t -> t.api.post("/api/releases?product=toolboxai", riley(), "text/markdown",
                                "- [ ] x\n".repeat(150_000)), 413, "payload-too-large"),
                new Case("a chunked body over the size limit", BadInputIT::chunkedTooLarge, 413,
                        "payload-too-large"),
                new Case("a checklist of 10,000 items (limit 5,000)",
                        t -> t.api.post("/api/releases?product=toolboxai&version=" + nextVersion() + "&type=MINOR",
                                riley(), "text/markdown", tooManyItems), 422, "invalid-markdown"),
                new Case("malformed JSON to open a release",
                        t -> t.api.json("/api/releases", riley(), "{\"templateId\": [1,"), 400, "malformed-body"),
                new Case("opening a release without product",
                        t -> t.api.json("/api/releases", riley(),
                                "{\"templateId\":\"x\",\"version\":\"1.0.0\",\"type\":\"MINOR\"}"), 400,
                        "validation-failed"),
                new Case("unknown release type in JSON",
                        t -> t.api.json("/api/releases", riley(),
                                "{\"templateId\":\"x\",\"product\":\"toolboxai\",\"version\":\"1.0.0\",\"type\":\"BIG\"}"),
                        400, "malformed-body"),
                new Case("a page size over 200",
                        t -> t.api.get("/api/releases?size=500", eli()), 400, "validation-failed"),
                new Case("an unknown release", t -> t.api.get("/api/releases/does-not-exist", eli()), 404,
                        "not-found"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsAProblemAndChangesNothing(Case badInput) {
        String before = businessState();
        long releasesBefore = mongo.getCollection("release").countDocuments();

        Api.Response response = badInput.request().apply(this);

        assertThat(response.status()).as(response.body()).isEqualTo(badInput.status());
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("type").asString()).isEqualTo(PROBLEMS + badInput.type());
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("detail").asString()).isNotBlank().doesNotContain("Exception").doesNotContain("at io.");
        assertThat(problem.path("instance").asString()).startsWith("/api/");
        assertThat(businessState().equals(before)).as("stored release unchanged").isTrue();
        assertThat(mongo.getCollection("release").countDocuments()).isEqualTo(releasesBefore);
    }

    @Test
    void refusedMarkdownNamesTheLineAtFault() {
        String tooManyItems = "# Big\n\n## Section\n" + "- [ ] item\n".repeat(6_000);
        Api.Response response = api.post("/api/releases?product=toolboxai&version=" + nextVersion() + "&type=MINOR",
                riley(), "text/markdown", tooManyItems);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("line").asInt()).isEqualTo(3 + 5_001);
    }

    @Test
    void aValidationProblemNamesTheField() {
        Api.Response response = patchItem("{\"state\":\"DONE\",\"note\":\"" + "n".repeat(2001) + "\"}");

        assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("note");
    }

    @Test
    void anUnknownEnumValueNamesTheFieldAndTheAllowedValues() {
        Api.Response response = patchItem("{\"state\":\"FINISHED\"}");

        assertThat(response.json().path("field").asString()).isEqualTo("state");
        assertThat(response.json().path("detail").asString()).contains("FINISHED").contains("NOT_APPLICABLE");
    }

    /** The stored release without the outbox relay's own bookkeeping, which changes concurrently by design. */
    private String businessState() {
        Document stored = mongo.getCollection("release").find(new Document("_id", releaseId)).first();
        stored.remove("lockVersion");
        stored.remove("outbox");
        return stored.toJson();
    }

    private Api.Response patchItem(String body) {
        return api.patch("/api/releases/" + releaseId + "/items/" + itemId, eli(), etag, body);
    }

    private Api.Response chunkedTooLarge() {
        byte[] body = "- [ ] x\n".repeat(150_000).getBytes(StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://localhost:" + port + "/api/releases?product=toolboxai"))
                    .header("Authorization", "Bearer " + riley()).header("Content-Type", "text/markdown")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Api.Response(response.statusCode(), response.headers(), response.body());
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
