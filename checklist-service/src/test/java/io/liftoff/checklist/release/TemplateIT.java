package io.liftoff.checklist.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.liftoff.checklist.support.AbstractIntegrationTest;
import io.liftoff.common.testing.Api;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TemplateIT extends AbstractIntegrationTest {

    @Test
    void aReleaseOpensFromAPublishedTemplateVersionWithEveryItemOpen() {
        Api.Response created = api.post("/api/templates?name=Minor%20release", riley(), "text/markdown", fixture());
        assertThat(created.status()).isEqualTo(201);
        String templateId = created.json().path("id").asString();
        assertThat(created.json().path("versions").get(0).path("published").asBoolean()).isFalse();
        assertThat(created.json().path("versions").get(0).path("itemCount").asInt()).isEqualTo(217);

        String version = nextVersion();
        String body = "{\"templateId\":\"" + templateId + "\",\"product\":\"toolboxai\",\"version\":\"" + version
                + "\",\"type\":\"PATCH\",\"previousVersion\":\"1.1.0\",\"plannedDate\":\"2026-12-01\"}";
        Api.Response fromDraft = api.json("/api/releases", riley(), body);
        assertThat(fromDraft.status()).isEqualTo(409);
        assertThat(fromDraft.problemType()).isEqualTo("https://liftoff.dev/problems/template-version-not-published");

        assertThat(api.post("/api/templates/" + templateId + "/versions/1/publish", riley(), "application/json", "")
                .status()).isEqualTo(200);
        Api.Response release = api.json("/api/releases", riley(), body);

        assertThat(release.status()).as(release.body()).isEqualTo(201);
        JsonNode json = release.json();
        assertThat(json.path("templateId").asString()).isEqualTo(templateId);
        assertThat(json.path("templateVersion").asInt()).isEqualTo(1);
        assertThat(json.path("type").asString()).isEqualTo("PATCH");
        assertThat(json.path("progress").path("overall").path("done").asInt()).isZero();
        assertThat(json.path("progress").path("overall").path("applicable").asInt()).isEqualTo(205);
        assertThat(json.path("metadata").path("Release Version").asString()).isEqualTo(version);
        String markdown = api.get("/api/releases/" + json.path("id").asString(), eli(), "text/markdown").body();
        assertThat(markdown).contains("**Release Version**: " + version)
                .contains("**Previous Version**: 1.1.0").doesNotContain("[x]");
    }

    @Test
    void aPublishedVersionIsImmutableAndNewVersionsAreAppended() {
        String templateId = api.json("/api/templates", riley(),
                "{\"name\":\"Hotfix\",\"description\":\"short path\",\"publish\":true,\"markdown\":"
                        + "\"# Hotfix\\n\\n## Pre-Release\\n- [ ] Tests green\\n- [x] Reviewed\\n\"}")
                .json().path("id").asString();

        Api.Response again = api.post("/api/templates/" + templateId + "/versions/1/publish", riley(),
                "application/json", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("https://liftoff.dev/problems/template-version-published");

        Api.Response second = api.post("/api/templates/" + templateId + "/versions?publish=true", riley(),
                "text/markdown", "# Hotfix\n\n## Pre-Release\n- [ ] Tests green\n- [ ] Canary healthy\n");
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json().path("latestPublishedVersion").asInt()).isEqualTo(2);

        JsonNode first = api.get("/api/templates/" + templateId + "/versions/1", eli()).json();
        assertThat(flatten(first.path("items"))).extracting(i -> i.path("text").asString())
                .containsExactly("Tests green", "Reviewed");
        assertThat(flatten(first.path("items"))).allMatch(i -> i.path("state").asString().equals("OPEN"));
        String exported = api.get("/api/templates/" + templateId + "/versions/2", eli(), "text/markdown").body();
        assertThat(exported).isEqualTo("# Hotfix\n\n## Pre-Release\n- [ ] Tests green\n- [ ] Canary healthy\n");
        assertThat(api.get("/api/templates", eli()).json().toString()).contains(templateId);
    }
}
