package io.liftoff.checklist.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.liftoff.checklist.support.AbstractIntegrationTest;
import io.liftoff.common.testing.Api;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ReleaseImportIT extends AbstractIntegrationTest {

    @Test
    void importingTheFixtureOpensADraftReleaseWithEveryItemTyped() {
        String version = nextVersion();
        Api.Response created = api.post("/api/releases?product=toolboxai", riley(), "text/markdown",
                fixture(version));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(created.header("Location")).startsWith("/api/releases/");
        JsonNode release = created.json();
        assertThat(release.path("product").asString()).isEqualTo("toolboxai");
        assertThat(release.path("version").asString()).isEqualTo(version);
        assertThat(release.path("type").asString()).isEqualTo("MINOR");
        assertThat(release.path("previousVersion").asString()).isEqualTo("1.0.0");
        assertThat(release.path("plannedDate").asString()).isEqualTo("2025-12-21");
        assertThat(release.path("status").asString()).isEqualTo("DRAFT");
        assertThat(release.path("metadata").path("Checklist Version").asString()).isEqualTo("1.0");

        List<JsonNode> items = flatten(release.path("items"));
        assertThat(items.stream().filter(i -> i.path("checkbox").asBoolean())).hasSize(205);
        assertThat(items.stream().filter(i -> i.path("state").asString().equals("DONE"))).hasSize(43);
        assertThat(items.stream().filter(i -> i.path("kind").asString().equals("CONTACT"))).hasSize(12);
        assertThat(items.stream().filter(i -> i.path("kind").asString().equals("SIGNOFF"))).hasSize(7);
        assertThat(items.stream().filter(i -> i.path("kind").asString().equals("TRIGGER"))).hasSize(10);

        JsonNode overall = release.path("progress").path("overall");
        assertThat(overall.path("done").asInt()).isEqualTo(43);
        assertThat(overall.path("applicable").asInt()).isEqualTo(205);
        assertThat(release.path("progress").path("byPhase").path("PRE_RELEASE").path("done").asInt())
                .isEqualTo(43);

        JsonNode errorTrigger = items.stream()
                .filter(i -> i.path("kind").asString().equals("TRIGGER")
                        && i.path("target").path("metric").asString().equals("api_error_rate")).findFirst()
                .orElseThrow();
        assertThat(errorTrigger.path("key").asString())
                .isEqualTo("rollback-plan/rollback-triggers/critical-system-issues/api-error-rate");
        assertThat(errorTrigger.path("text").asString()).isEqualTo("API error rate >1%");
        assertThat(errorTrigger.path("target").path("metric").asString()).isEqualTo("api_error_rate");
        assertThat(errorTrigger.path("target").path("comparator").asString()).isEqualTo(">");
        assertThat(errorTrigger.path("target").path("threshold").asDouble()).isEqualTo(1.0);
        assertThat(errorTrigger.path("target").path("unit").asString()).isEqualTo("%");
    }

    @Test
    void exportOfAnUntouchedImportGivesTheDocumentBackByteForByte() {
        String markdown = fixture(nextVersion());
        String id = api.post("/api/releases?product=toolboxai", riley(), "text/markdown", markdown).json()
                .path("id").asString();

        Api.Response exported = api.get("/api/releases/" + id, eli(), "text/markdown");

        assertThat(exported.status()).isEqualTo(200);
        assertThat(exported.header("Content-Type")).startsWith("text/markdown");
        assertThat(exported.body()).isEqualTo(markdown);
    }

    @Test
    void importExportImportKeepsKeysTextsKindsStatesOrderAndNesting() {
        String first = api.post("/api/releases?product=toolboxai", riley(), "text/markdown",
                fixture(nextVersion())).json().path("id").asString();
        JsonNode original = api.get("/api/releases/" + first, eli()).json();
        JsonNode staging = flatten(original.path("items")).stream()
                .filter(i -> i.path("key").asString().endsWith("staging-environment/deploy-to-staging-environment"))
                .findFirst().orElseThrow();
        String etag = api.get("/api/releases/" + first, eli()).header("ETag");
        assertThat(api.patch("/api/releases/" + first + "/items/" + staging.path("id").asString(), eli(), etag,
                "{\"state\":\"BLOCKED\",\"note\":\"staging cluster down\"}").status()).isEqualTo(200);

        String exported = api.get("/api/releases/" + first, eli(), "text/markdown").body();
        assertThat(exported).contains("  - [!] Deploy to staging environment");
        String secondVersion = nextVersion();
        JsonNode second = api.post("/api/releases?product=toolboxai&version=" + secondVersion, riley(),
                "text/markdown", exported).json();

        List<JsonNode> before = flatten(api.get("/api/releases/" + first, eli()).json().path("items"));
        List<JsonNode> after = flatten(second.path("items"));
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            for (String field : List.of("id", "key", "text", "kind", "state", "parentId", "checkbox")) {
                assertThat(after.get(i).path(field)).as("item %d %s", i, field).isEqualTo(before.get(i).path(field));
            }
            assertThat(after.get(i).path("target")).isEqualTo(before.get(i).path("target"));
        }
        assertThat(second.path("metadata").path("Release Version").asString()).isEqualTo(secondVersion);
    }

    @Test
    void aSecondReleaseWithTheSameVersionOfTheSameProductIsAConflict() {
        String markdown = fixture(nextVersion());
        assertThat(api.post("/api/releases?product=toolboxai", riley(), "text/markdown", markdown).status())
                .isEqualTo(201);
        long before = mongo.getCollection("release").countDocuments();

        Api.Response duplicate = api.post("/api/releases?product=toolboxai", riley(), "text/markdown", markdown);

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.problemType()).isEqualTo("https://liftoff.dev/problems/duplicate-release");
        assertThat(mongo.getCollection("release").countDocuments()).isEqualTo(before);
    }

    @Test
    void listsReleasesOfTheCallersProductsFilteredAndPaged() {
        String version = nextVersion();
        api.post("/api/releases?product=toolboxai", riley(), "text/markdown", fixture(version));

        JsonNode page = api.get("/api/releases?product=toolboxai&version=" + version, eli()).json();
        assertThat(page.path("totalItems").asLong()).isEqualTo(1);
        assertThat(page.path("items").get(0).path("version").asString()).isEqualTo(version);
        assertThat(page.path("items").get(0).path("progress").path("done").asInt()).isEqualTo(43);

        JsonNode others = api.get("/api/releases?version=" + version, olga()).json();
        assertThat(others.path("totalItems").asLong()).isZero();

        JsonNode paged = api.get("/api/releases?size=1&page=0&status=DRAFT", ada()).json();
        assertThat(paged.path("items")).hasSize(1);
        assertThat(paged.path("totalPages").asInt()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aWholeReleaseLeavesTheServiceInOneChunk() throws Exception {
        // Tomcat's own 8 KB buffer sent the JSON as 13 chunks, each a write here and, behind the gateway, a read, a
        // pass through its filters and a write there; common's ResponseBufferFilter holds 128 KB and holds the JSON
        // converter's flush until the request ends, so both answers leave in one piece with their length.
        String id = api.post("/api/releases?product=toolboxai", riley(), "text/markdown", fixture(nextVersion()))
                .json().path("id").asString();

        for (String accept : List.of("application/json", "text/markdown")) {
            List<Integer> chunks = chunkSizes("/api/releases/" + id, eli(), accept);
            assertThat(chunks).as(accept).hasSize(1);
            assertThat(lastFraming).as(accept).isEqualTo("Content-Length");
            assertThat(chunks.get(0)).as(accept).isGreaterThan(8192)
                    .isEqualTo(api.get("/api/releases/" + id, eli(), accept).body()
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }

    /** How the last answer read by {@link #chunkSizes} was framed: {@code chunked} or {@code Content-Length}. */
    private String lastFraming;

    /** The sizes of the chunks of an answer (its length when it has one), read off the wire (HTTP/1.1, one request on a keep-alive connection, as the gateway sends it). */
    private List<Integer> chunkSizes(String path, String token, String accept) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: " + accept
                    + "\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.DataInputStream in = new java.io.DataInputStream(
                    new java.io.BufferedInputStream(socket.getInputStream()));
            String status = line(in);
            assertThat(status).startsWith("HTTP/1.1 200");
            boolean chunked = false;
            int length = -1;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                chunked |= header.equalsIgnoreCase("Transfer-Encoding: chunked");
                if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            lastFraming = chunked ? "chunked" : "Content-Length";
            if (!chunked) {
                // Whole in the buffer and never sent before the end: one piece with its length.
                in.readFully(new byte[length]);
                return List.of(length);
            }
            List<Integer> sizes = new java.util.ArrayList<>();
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0;
                    size = Integer.parseInt(line(in).trim(), 16)) {
                in.readFully(new byte[size]);
                line(in);
                sizes.add(size);
            }
            return sizes;
        }
    }

    private static String line(java.io.DataInputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new java.io.EOFException("The answer ended early: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
