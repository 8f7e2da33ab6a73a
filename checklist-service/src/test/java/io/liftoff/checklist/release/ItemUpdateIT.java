package io.liftoff.checklist.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.liftoff.checklist.support.AbstractIntegrationTest;
import io.liftoff.common.testing.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ItemUpdateIT extends AbstractIntegrationTest {

    private String releaseId;
    private List<JsonNode> items;

    @BeforeEach
    void release() {
        JsonNode release = api.post("/api/releases?product=toolboxai", riley(), "text/markdown",
                fixture(nextVersion())).json();
        releaseId = release.path("id").asString();
        items = flatten(release.path("items"));
    }

    private String idOf(String keySuffix) {
        return items.stream().filter(i -> i.path("key").asString().endsWith(keySuffix)).findFirst().orElseThrow()
                .path("id").asString();
    }

    private String etag() {
        return api.get("/api/releases/" + releaseId, eli()).header("ETag");
    }

    @Test
    void anEngineerTicksAnItemAndTheChangeIsKeptWithWhoAndWhen() {
        String item = idOf("staging-environment/smoke-tests-in-staging");

        Api.Response updated = api.patch("/api/releases/" + releaseId + "/items/" + item, eli(), etag(),
                "{\"state\":\"DONE\",\"note\":\"all green\",\"evidence\":\"https://ci.example.com/run/42\","
                        + "\"updatedBy\":\"mallory\"}");

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.header("ETag")).isEqualTo("\"2\"");
        assertThat(updated.json().path("state").asString()).isEqualTo("DONE");
        assertThat(updated.json().path("updatedBy").asString()).isEqualTo("eli");
        JsonNode history = api.get("/api/releases/" + releaseId + "/items/" + item + "/history", viewer()).json();
        assertThat(history).hasSize(1);
        assertThat(history.get(0).path("fromState").asString()).isEqualTo("OPEN");
        assertThat(history.get(0).path("toState").asString()).isEqualTo("DONE");
        assertThat(history.get(0).path("by").asString()).isEqualTo("eli");
        assertThat(history.get(0).path("evidence").asString()).isEqualTo("https://ci.example.com/run/42");
        JsonNode release = api.get("/api/releases/" + releaseId, eli()).json();
        assertThat(release.path("progress").path("overall").path("done").asInt()).isEqualTo(44);
        assertThat(release.path("checklistVersion").asLong()).isEqualTo(2);
    }

    @Test
    void aStaleETagIsRefusedWith412AndChangesNothing() {
        String stale = etag();
        String first = idOf("staging-environment/smoke-tests-in-staging");
        String second = idOf("staging-environment/database-migration-dry-run");
        assertThat(api.patch("/api/releases/" + releaseId + "/items/" + first, eli(), stale,
                "{\"state\":\"DONE\"}").status()).isEqualTo(200);

        Api.Response refused = api.patch("/api/releases/" + releaseId + "/items/" + second, eli(), stale,
                "{\"state\":\"DONE\"}");

        assertThat(refused.status()).isEqualTo(412);
        assertThat(refused.problemType()).isEqualTo("https://liftoff.dev/problems/precondition-failed");
        assertThat(api.get("/api/releases/" + releaseId + "/items/" + second, eli()).json().path("state")
                .asString()).isEqualTo("OPEN");
    }

    @Test
    void aWriteWithoutIfMatchIsRefusedWith428() {
        Api.Response refused = api.patch("/api/releases/" + releaseId + "/items/"
                + idOf("staging-environment/smoke-tests-in-staging"), eli(), null, "{\"state\":\"DONE\"}");

        assertThat(refused.status()).isEqualTo(428);
        assertThat(refused.problemType()).isEqualTo("https://liftoff.dev/problems/precondition-required");
    }

    @Test
    void concurrentWritersNeverLoseEachOthersChange() throws Exception {
        List<String> targets = items.stream()
                .filter(i -> i.path("checkbox").asBoolean() && i.path("state").asString().equals("OPEN")
                        && !i.path("kind").asString().equals("SIGNOFF"))
                .limit(16).map(i -> i.path("id").asString()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> writers = new ArrayList<>();
            for (String target : targets) {
                // Each writer reads, writes with its ETag, and on 412 reads again: the contract's retry loop.
                writers.add(() -> {
                    for (int attempt = 1; attempt <= 200; attempt++) {
                        Api.Response response = api.patch("/api/releases/" + releaseId + "/items/" + target, eli(),
                                etag(), "{\"state\":\"DONE\"}");
                        if (response.status() != 412) {
                            return response.status();
                        }
                    }
                    return 412;
                });
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : pool.invokeAll(writers)) {
                statuses.add(result.get());
            }
            assertThat(statuses).containsOnly(200);
        }
        finally {
            pool.shutdownNow();
        }

        JsonNode release = api.get("/api/releases/" + releaseId, eli()).json();
        List<JsonNode> after = flatten(release.path("items"));
        for (String target : targets) {
            assertThat(after.stream().filter(i -> i.path("id").asString().equals(target)).findFirst().orElseThrow()
                    .path("state").asString()).as(target).isEqualTo("DONE");
        }
        assertThat(release.path("checklistVersion").asLong()).isEqualTo(1 + targets.size());
        assertThat(release.path("progress").path("overall").path("done").asInt()).isEqualTo(43 + targets.size());
    }

    @Test
    void signoffItemsAreTickedOnlyByThePlatformsServicesAndContactsNever() {
        String signoff = items.stream().filter(i -> i.path("kind").asString().equals("SIGNOFF")).findFirst()
                .orElseThrow().path("id").asString();
        String contact = items.stream().filter(i -> i.path("kind").asString().equals("CONTACT")).findFirst()
                .orElseThrow().path("id").asString();

        Api.Response byPerson = api.patch("/api/releases/" + releaseId + "/items/" + signoff, riley(), etag(),
                "{\"state\":\"DONE\"}");
        Api.Response onContact = api.patch("/api/releases/" + releaseId + "/items/" + contact, riley(), etag(),
                "{\"state\":\"DONE\"}");
        Api.Response byService = api.patch("/api/releases/" + releaseId + "/items/" + signoff, monitoringService(),
                etag(), "{\"state\":\"DONE\"}");

        assertThat(byPerson.status()).isEqualTo(409);
        assertThat(byPerson.problemType()).isEqualTo("https://liftoff.dev/problems/item-not-checkable");
        assertThat(onContact.status()).isEqualTo(409);
        assertThat(byService.status()).isEqualTo(200);
        assertThat(byService.json().path("updatedBy").asString()).isEqualTo("service-account-monitoring-service");
    }
}
