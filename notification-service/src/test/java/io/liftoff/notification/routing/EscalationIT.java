package io.liftoff.notification.routing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.liftoff.common.testing.Api;
import io.liftoff.notification.support.AbstractIntegrationTest;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Escalation with a 1 s delay between levels (700 ms and REPEAT for critical metric breaches). */
class EscalationIT extends AbstractIntegrationTest {

    private static final String ROLLBACK = "{\"itemId\":\"it-error-rate\",\"metric\":\"error_rate\",\"value\":7.2,"
            + "\"threshold\":5,\"comparator\":\">\",\"unit\":\"%\",\"reason\":\"sustained for 5 minutes\"}";

    private String releaseId;

    @BeforeEach
    void releaseWithReachableContacts() {
        releaseId = stubbedRelease();
        Api.Response contacts = put("/api/products/toolboxai/releases/" + releaseId + "/contacts", riley(), """
                {"people": [
                  {"role": "Release Manager", "email": "rm@toolboxai.example"},
                  {"role": "Engineering Lead", "email": "lead@toolboxai.example"},
                  {"role": "CTO", "email": "cto@toolboxai.example"},
                  {"role": "Product Manager", "email": "pm@toolboxai.example"},
                  {"role": "CEO", "email": "ceo@toolboxai.example"},
                  {"role": "Executive Team", "email": "execs@toolboxai.example"}]}""");
        assertThat(contacts.status()).isEqualTo(200);
    }

    private static List<String> recipients(List<MimeMessage> mails) {
        List<String> result = new ArrayList<>();
        for (MimeMessage mail : mails) {
            try {
                for (Address address : mail.getRecipients(Message.RecipientType.TO)) {
                    result.add(address.toString());
                }
            }
            catch (jakarta.mail.MessagingException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return result;
    }

    private List<Integer> levelsOf(String id) {
        List<Integer> levels = new ArrayList<>();
        notification(id).path("deliveries").forEach(d -> levels.add(d.path("level").asInt()));
        return levels;
    }

    @Test
    void aRollbackNotifiesLevelOneAtOnceThenLevelTwoAndThreeUntilTheChainEnds() {
        RECEIVERS.stubFor(post("/pager/" + releaseId).willReturn(aResponse().withStatus(200)));
        channel(releaseId, "WEBHOOK", "/pager/" + releaseId, "\"levels\":[2]");
        Instant start = Instant.now();

        String id = send("rollback.triggered", releaseId, ROLLBACK);

        await("level 1 e-mails", Duration.ofSeconds(5), () -> mailsOf(id).size() >= 3);
        assertThat(recipients(mailsOf(id))).containsExactlyInAnyOrder("rm@toolboxai.example",
                "lead@toolboxai.example", "releases@toolboxai.com");
        JsonNode first = notification(id);
        assertThat(first.path("severity").asString()).isEqualTo("CRITICAL");
        assertThat(first.path("escalation").path("level").asInt()).isEqualTo(1);
        assertThat(first.path("escalation").path("maxLevel").asInt()).isEqualTo(3);
        assertThat(first.path("title").asString()).isEqualTo("[CRITICAL] Rollback triggered for toolboxai 1.1.0");
        assertThat(first.path("text").asString()).contains("Rollback trigger: Error rate >5% for 5 minutes")
                .contains("error_rate is 7.2 % against the threshold > 5 %");

        await("level 3 e-mails", Duration.ofSeconds(8), () -> mailsOf(id).size() >= 7);
        assertThat(recipients(mailsOf(id))).contains("cto@toolboxai.example", "pm@toolboxai.example",
                "ceo@toolboxai.example", "execs@toolboxai.example");
        RECEIVERS.verify(1, postRequestedFor(urlEqualTo("/pager/" + releaseId)));
        JsonNode level2 = null;
        for (JsonNode d : notification(id).path("deliveries")) {
            if (d.path("level").asInt() == 2) {
                level2 = d;
            }
        }
        assertThat(Duration.between(start, Instant.parse(level2.path("createdAt").asString())))
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        await("the chain to stop", Duration.ofSeconds(5),
                () -> !notification(id).path("escalation").path("active").asBoolean());
        assertThat(levelsOf(id)).containsOnly(1, 2, 3).hasSize(8);
    }

    @Test
    void anAcknowledgementStopsTheEscalationAndRecordsWhoAndWhen() throws InterruptedException {
        String id = send("rollback.triggered", releaseId, ROLLBACK);
        await("level 1 e-mails", Duration.ofSeconds(5), () -> mailsOf(id).size() >= 3);

        Api.Response acked = api.json("/api/notifications/" + id + "/ack", eli(), "{\"note\":\"on it\"}");

        assertThat(acked.status()).isEqualTo(200);
        assertThat(acked.json().path("acknowledgement").path("by").asString()).isEqualTo("eli");
        assertThat(acked.json().path("acknowledgement").path("note").asString()).isEqualTo("on it");
        Instant at = Instant.parse(acked.json().path("acknowledgement").path("at").asString());
        assertThat(acked.json().path("escalation").path("active").asBoolean()).isFalse();
        Thread.sleep(2000);
        assertThat(levelsOf(id)).containsOnly(1);
        Api.Response again = api.json("/api/notifications/" + id + "/ack", riley(), "");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("acknowledgement").path("by").asString()).isEqualTo("eli");
        assertThat(Instant.parse(again.json().path("acknowledgement").path("at").asString())).isEqualTo(at);
    }

    @Test
    void aRepeatingRuleRunsTheChainAgainFromLevelOneThenStops() {
        String id = send("metric.breached", releaseId, "{\"metric\":\"p95_latency\",\"value\":420,\"threshold\":200,"
                + "\"comparator\":\"<\",\"unit\":\"ms\",\"severity\":\"CRITICAL\"}");

        await("two rounds", Duration.ofSeconds(12),
                () -> !notification(id).path("escalation").path("active").asBoolean()
                        && notification(id).path("escalation").path("rounds").asInt() == 2);
        List<Integer> levels = levelsOf(id);
        assertThat(levels.stream().filter(l -> l == 1).count()).isEqualTo(5); // 2 people + the list, then 2 people
        assertThat(levels.stream().filter(l -> l == 3).count()).isEqualTo(4);
        assertThat(notification(id).path("escalation").path("afterLastLevel").asString()).isEqualTo("REPEAT");
    }

    @Test
    void aNonCriticalBreachNotifiesLevelOneWithoutEscalating() throws InterruptedException {
        String id = send("metric.breached", releaseId, "{\"metric\":\"p95_latency\",\"value\":210,\"threshold\":200}");

        await("level 1 e-mails", Duration.ofSeconds(5), () -> mailsOf(id).size() >= 3);
        Thread.sleep(1500);
        assertThat(levelsOf(id)).containsOnly(1);
        assertThat(notification(id).path("escalation").isMissingNode()
                || notification(id).path("escalation").isNull()).isTrue();
    }

    @Test
    void anInformationalEventReachesOnlyTheBroadcastChannels() {
        RECEIVERS.stubFor(post("/all/" + releaseId).willReturn(aResponse().withStatus(200)));
        RECEIVERS.stubFor(post("/l1/" + releaseId).willReturn(aResponse().withStatus(200)));
        channel(releaseId, "WEBHOOK", "/all/" + releaseId, null);
        channel(releaseId, "WEBHOOK", "/l1/" + releaseId, "\"levels\":[1]");

        String id = send("item.updated", releaseId, "{\"itemId\":\"it-staging\",\"toState\":\"DONE\"}");

        await("delivery", Duration.ofSeconds(5), () -> statuses(notification(id)).equals(List.of("DELIVERED")));
        assertThat(levelsOf(id)).containsExactly(0);
        assertThat(mailsOf(id)).isEmpty();
    }
}
