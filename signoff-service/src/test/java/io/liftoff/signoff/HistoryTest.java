package io.liftoff.signoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.liftoff.common.testing.Api;
import io.liftoff.signoff.support.AbstractIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class HistoryTest extends AbstractIntegrationTest {

    @Test
    void historyIsNewestFirstFilterableAndPagedByCursor() {
        Instant start = Instant.now();
        String id = newRelease();
        signAllPreRelease(id);
        String qaId = api.get("/api/releases/" + id + "/signoffs", viewer()).json().path("signoffs").get(2).path("id")
                .asString();
        api.json("/api/releases/" + id + "/signoffs/" + qaId + "/revocation", signer("quinn", "qa-lead"), "{}");

        JsonNode all = api.get("/api/signoffs?releaseId=" + id, ada()).json().path("items");
        assertThat(all.size()).isEqualTo(6);
        assertThat(all.get(0).path("decision").asString()).isEqualTo("REVOKE");
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).path("logIndex").asLong()).isLessThan(all.get(i - 1).path("logIndex").asLong());
        }
        assertThat(all.get(5).path("role").asString()).isEqualTo("engineering-manager");
        assertThat(all.get(5).path("digest").asString()).hasSize(64);
        assertThat(all.get(5).path("checklistVersion").asLong()).isEqualTo(1);

        assertThat(api.get("/api/signoffs?releaseId=" + id + "&role=qa-lead", ada()).json().path("items").size())
                .isEqualTo(2);
        assertThat(api.get("/api/signoffs?releaseId=" + id + "&decision=REVOKE", ada()).json().path("items").size())
                .isEqualTo(1);
        JsonNode bySigner = api.get("/api/signoffs?signer=dana&from=" + start, riley()).json().path("items");
        assertThat(bySigner.size()).isGreaterThanOrEqualTo(1);
        bySigner.forEach(item -> assertThat(item.path("signerName").asString()).isEqualTo("dana"));
        assertThat(api.get("/api/signoffs?product=toolboxai&to=" + start, ada()).json().path("items").toString())
                .doesNotContain(id);

        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get("/api/signoffs?releaseId=" + id + "&limit=4"
                    + (cursor == null ? "" : "&cursor=" + cursor), ada());
            page.json().path("items").forEach(item -> paged.add(item.path("id").asString()));
            cursor = page.json().path("nextCursor").asString(null);
        }
        while (cursor != null);
        assertThat(paged).hasSize(6).doesNotHaveDuplicates();

        List<String> unfiltered = new ArrayList<>();
        Api.Response firstPage = api.get("/api/signoffs?limit=3&from=" + start, ada());
        firstPage.json().path("items").forEach(item -> unfiltered.add(item.path("id").asString()));
        Api.Response secondPage = api.get("/api/signoffs?limit=3&from=" + start + "&cursor="
                + firstPage.json().path("nextCursor").asString(), ada());
        secondPage.json().path("items").forEach(item -> unfiltered.add(item.path("id").asString()));
        assertThat(unfiltered).hasSize(6).doesNotHaveDuplicates();
    }

    @Test
    void exportsAreStreamedAsCsvAndNdjson() {
        String id = newRelease();
        signAllPreRelease(id);
        Api.Response csv = api.get("/api/signoffs?releaseId=" + id, ada(), "text/csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines).hasSize(6);
        assertThat(lines[0]).startsWith("logIndex,signedAt,type,releaseId");
        assertThat(lines[1]).contains(id, "product-manager", "APPROVE", "paula");

        Api.Response ndjson = api.get("/api/signoffs?releaseId=" + id, ada(), "application/x-ndjson");
        String[] rows = ndjson.body().split("\n");
        assertThat(rows).hasSize(5);
        assertThat(JSON.readTree(rows[4]).path("role").asString()).isEqualTo("engineering-manager");
    }

    @Test
    void aForgedCursorIsRefused() {
        Api.Response response = api.get("/api/signoffs?cursor=bm9wZQ", ada());
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.problemType()).isEqualTo("https://liftoff.dev/problems/invalid-parameter");
    }
}
