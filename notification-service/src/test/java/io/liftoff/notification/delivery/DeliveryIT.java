package io.liftoff.notification.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.liftoff.common.testing.Api;
import io.liftoff.notification.support.AbstractIntegrationTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

class DeliveryIT extends AbstractIntegrationTest {

    private static final String ROLLBACK_DATA = "{\"itemId\":\"it-error-rate\",\"metric\":\"error_rate\","
            + "\"value\":7.2,\"threshold\":5,\"comparator\":\">\",\"unit\":\"%\",\"reason\":\"sustained for 5 min\"}";

    private static boolean allDelivered(JsonNode notification, int expected) {
        List<String> statuses = statuses(notification);
        return statuses.size() == expected && statuses.stream().allMatch("DELIVERED"::equals);
    }

    @Test
    void slackReceivesAMessageWithReadableTextAndBlocks() {
        String releaseId = stubbedRelease();
        RECEIVERS.stubFor(post("/slack/" + releaseId).willReturn(aResponse().withStatus(200).withBody("ok")));
        channel(releaseId, "SLACK", "/slack/" + releaseId, null);

        String id = send("release.transitioned", releaseId,
                "{\"from\":\"DEPLOYING\",\"to\":\"MONITORING\",\"reason\":\"deployed\"}");

        await("slack delivery", Duration.ofSeconds(10), () -> allDelivered(notification(id), 1));
        LoggedRequest request = RECEIVERS.findAll(postRequestedFor(urlEqualTo("/slack/" + releaseId))).get(0);
        JsonNode body = tools.jackson.databind.json.JsonMapper.builder().build().readTree(request.getBodyAsString());
        assertThat(body.path("text").asString()).startsWith("toolboxai 1.1.0 is now MONITORING")
                .contains("from DEPLOYING to MONITORING").contains("Reason: deployed");
        assertThat(body.path("blocks").get(0).path("type").asString()).isEqualTo("header");
        assertThat(body.path("blocks").get(1).path("text").path("type").asString()).isEqualTo("mrkdwn");
        assertThat(body.path("blocks").get(2).path("elements").get(0).path("text").asString())
                .contains("/api/releases/" + releaseId);
    }

    @Test
    void aWebhookIsSignedWithHmacSha256OverTimestampAndBody() throws Exception {
        String releaseId = stubbedRelease();
        String secret = "s3cret-s3cret-s3cret";
        RECEIVERS.stubFor(post("/signed/" + releaseId).willReturn(aResponse().withStatus(202)));
        String channelId = channel(releaseId, "WEBHOOK", "/signed/" + releaseId, "\"secret\":\"" + secret + "\"");

        String id = send("signoff.recorded", releaseId, "{\"role\":\"security-lead\",\"signer\":\"sam\","
                + "\"decision\":\"APPROVED\",\"checklistVersion\":7}");

        await("webhook delivery", Duration.ofSeconds(10), () -> allDelivered(notification(id), 1));
        LoggedRequest request = RECEIVERS.findAll(postRequestedFor(urlEqualTo("/signed/" + releaseId))).get(0);
        String timestamp = request.getHeader("X-Liftoff-Timestamp");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(
                mac.doFinal((timestamp + "." + request.getBodyAsString()).getBytes(StandardCharsets.UTF_8)));
        assertThat(request.getHeader("X-Liftoff-Signature")).isEqualTo(expected);
        assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp))).isLessThan(60);
        assertThat(request.getHeader("X-Liftoff-Event")).isEqualTo("signoff.recorded");
        assertThat(request.getHeader("X-Liftoff-Delivery-Id")).startsWith(id + "|");
        JsonNode body = tools.jackson.databind.json.JsonMapper.builder().build().readTree(request.getBodyAsString());
        assertThat(body.path("eventId").asString()).isEqualTo(id);
        assertThat(body.path("data").path("role").asString()).isEqualTo("security-lead");
        assertThat(body.path("title").asString()).isEqualTo("security-lead signed off toolboxai 1.1.0");
        // only an e-mail carries the HTML body, so a webhook's delivery is stored without it
        DeliveryDoc stored = storedDelivery(id);
        assertThat(stored.channel).isEqualTo(DeliveryDoc.ChannelKind.WEBHOOK);
        assertThat(stored.message.text()).contains("security-lead");
        assertThat(stored.message.html()).isNull();
        // the secret is stored, never returned
        Api.Response channel = api.get("/api/channels/" + channelId, riley());
        assertThat(channel.json().path("hasSecret").asBoolean()).isTrue();
        assertThat(channel.body()).doesNotContain(secret);
    }

    @Test
    void anEmailChannelSendsPlainTextAndHtmlOverSmtp() throws Exception {
        String releaseId = stubbedRelease();
        String body = "{\"product\":\"toolboxai\",\"releaseId\":\"" + releaseId + "\",\"name\":\"release list\","
                + "\"type\":\"EMAIL\",\"recipients\":[\"team@toolboxai.example\",\"qa@toolboxai.example\"]}";
        assertThat(api.json("/api/channels", riley(), body).status()).isEqualTo(201);

        String id = send("gate.cleared", releaseId, "{\"phase\":\"PRE_RELEASE\"}");

        await("mail delivery", Duration.ofSeconds(10), () -> allDelivered(notification(id), 1));
        List<MimeMessage> mails = mailsOf(id);
        assertThat(mails).hasSize(2); // one per recipient mailbox
        MimeMessage mail = mails.get(0);
        assertThat(mail.getSubject()).isEqualTo("PRE_RELEASE gate clear for toolboxai 1.1.0");
        java.util.Map<String, String> parts = textParts(mail);
        assertThat(parts).containsOnlyKeys("text/plain", "text/html");
        assertThat(parts.get("text/plain")).contains("Every required sign-off of the PRE_RELEASE gate");
        assertThat(parts.get("text/html")).contains("<h3>PRE_RELEASE gate clear for toolboxai 1.1.0</h3>")
                .contains("<a href=\"http://localhost:8080/api/releases/" + releaseId + "\">");
        JsonNode delivery = notification(id).path("deliveries").get(0);
        assertThat(delivery.path("channel").asString()).isEqualTo("EMAIL");
        assertThat(delivery.path("attempts").get(0).path("statusCode").asInt()).isEqualTo(250);
        assertThat(storedDelivery(id).message.html()).contains("<h3>PRE_RELEASE gate clear for toolboxai 1.1.0</h3>");
    }

    private DeliveryDoc storedDelivery(String notificationId) {
        return mongo.findOne(Query.query(Criteria.where("notificationId").is(notificationId)), DeliveryDoc.class);
    }

    @Test
    void a500IsRetriedWithBackoffAndEveryAttemptIsRecorded() {
        String releaseId = stubbedRelease();
        String path = "/flaky/" + releaseId;
        RECEIVERS.stubFor(post(path).inScenario(path).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("second"));
        RECEIVERS.stubFor(post(path).inScenario(path).whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        RECEIVERS.stubFor(post(path).inScenario(path).whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        channel(releaseId, "WEBHOOK", path, null);

        String id = send("item.updated", releaseId, "{\"itemId\":\"it-staging\",\"toState\":\"DONE\"}");

        await("delivery after retries", Duration.ofSeconds(10), () -> allDelivered(notification(id), 1));
        JsonNode attempts = notification(id).path("deliveries").get(0).path("attempts");
        assertThat(attempts).hasSize(3);
        assertThat(attempts.get(0).path("outcome").asString()).isEqualTo("FAILED");
        assertThat(attempts.get(0).path("statusCode").asInt()).isEqualTo(500);
        assertThat(attempts.get(1).path("statusCode").asInt()).isEqualTo(503);
        assertThat(attempts.get(2).path("outcome").asString()).isEqualTo("DELIVERED");
        assertThat(attempts.get(2).path("statusCode").asInt()).isEqualTo(200);
        Instant first = Instant.parse(attempts.get(0).path("at").asString());
        Instant second = Instant.parse(attempts.get(1).path("at").asString());
        assertThat(Duration.between(first, second)).isGreaterThanOrEqualTo(Duration.ofMillis(75));
    }

    @Test
    void aConnectionResetIsRetried() {
        String releaseId = stubbedRelease();
        String path = "/reset/" + releaseId;
        RECEIVERS.stubFor(post(path).inScenario(path).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("up"));
        RECEIVERS.stubFor(post(path).inScenario(path).whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        channel(releaseId, "WEBHOOK", path, null);

        String id = send("item.updated", releaseId, "{\"itemId\":\"it-staging\",\"toState\":\"DONE\"}");

        await("delivery after a reset", Duration.ofSeconds(10), () -> allDelivered(notification(id), 1));
        JsonNode attempts = notification(id).path("deliveries").get(0).path("attempts");
        assertThat(attempts.get(0).path("outcome").asString()).isEqualTo("FAILED");
        assertThat(attempts.get(0).path("error").asString()).isNotBlank();
        assertThat(attempts.get(attempts.size() - 1).path("outcome").asString()).isEqualTo("DELIVERED");
    }

    @Test
    void aSlowReceiverDoesNotDelayAFastOne() {
        String releaseId = stubbedRelease();
        RECEIVERS.stubFor(post("/slow/" + releaseId).willReturn(aResponse().withStatus(200).withFixedDelay(2000)));
        RECEIVERS.stubFor(post("/fast/" + releaseId).willReturn(aResponse().withStatus(200)));
        channel(releaseId, "WEBHOOK", "/slow/" + releaseId, null);
        channel(releaseId, "WEBHOOK", "/fast/" + releaseId, null);

        Instant start = Instant.now();
        for (int i = 0; i < 10; i++) {
            send("item.updated", releaseId, "{\"itemId\":\"it-staging\",\"toState\":\"DONE\"}");
        }

        await("the fast receiver got all ten", Duration.ofSeconds(6),
                () -> RECEIVERS.findAll(postRequestedFor(urlEqualTo("/fast/" + releaseId))).size() == 10);
        // ten slow answers of 2 s, two at a time, take ≥ 10 s: the fast receiver is served while they wait
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(6));
        assertThat(RECEIVERS.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals("/slow/" + releaseId)).count()).isLessThan(10);
    }

    @Test
    void aDeliveryIsDeadLetteredAfterTheLastRetryAndCanBeReplayed() {
        String releaseId = stubbedRelease();
        String path = "/dead/" + releaseId;
        RECEIVERS.stubFor(post(path).willReturn(aResponse().withStatus(502)));
        channel(releaseId, "WEBHOOK", path, null);

        String id = send("item.updated", releaseId, "{\"itemId\":\"it-staging\",\"toState\":\"DONE\"}");

        await("dead letter", Duration.ofSeconds(15),
                () -> statuses(notification(id)).equals(List.of("DEAD_LETTER")));
        JsonNode delivery = notification(id).path("deliveries").get(0);
        assertThat(delivery.path("attempts")).hasSize(4);
        JsonNode deadLetters = api.get("/api/deliveries?status=DEAD_LETTER&releaseId=" + releaseId, eli()).json();
        assertThat(deadLetters.path("items")).hasSize(1);
        assertThat(deadLetters.path("items").get(0).path("id").asString()).isEqualTo(delivery.path("id").asString());
        assertThat(api.get("/api/notifications?status=DEAD_LETTER&releaseId=" + releaseId, eli()).json()
                .path("items").get(0).path("id").asString()).isEqualTo(id);

        RECEIVERS.stubFor(post(path).willReturn(aResponse().withStatus(200)));
        String deliveryId = java.net.URLEncoder.encode(delivery.path("id").asString(), StandardCharsets.UTF_8);
        Api.Response replayed = api.json("/api/deliveries/" + deliveryId + "/replay", riley(), "");

        assertThat(replayed.status()).isEqualTo(202);
        assertThat(replayed.json().path("status").asString()).isEqualTo("PENDING");
        await("replayed delivery", Duration.ofSeconds(10), () -> allDelivered(notification(id), 1));
        assertThat(notification(id).path("deliveries").get(0).path("attempts")).hasSize(5);
        Api.Response again = api.json("/api/deliveries/" + deliveryId + "/replay", riley(), "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("https://liftoff.dev/problems/conflict");
    }

    @Test
    void aReceiverThatRefusesTheMessageDeadLettersAtOnce() {
        String releaseId = stubbedRelease();
        RECEIVERS.stubFor(post("/gone/" + releaseId).willReturn(aResponse().withStatus(410)));
        channel(releaseId, "SLACK", "/gone/" + releaseId, null);

        String id = send("item.updated", releaseId, "{\"itemId\":\"it-staging\",\"toState\":\"DONE\"}");

        await("dead letter", Duration.ofSeconds(10), () -> statuses(notification(id)).equals(List.of("DEAD_LETTER")));
        JsonNode attempts = notification(id).path("deliveries").get(0).path("attempts");
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).path("outcome").asString()).isEqualTo("REFUSED");
        assertThat(attempts.get(0).path("statusCode").asInt()).isEqualTo(410);
    }

    @Test
    void aRedirectIsNotFollowed() {
        String releaseId = stubbedRelease();
        RECEIVERS.stubFor(post("/moved/" + releaseId).willReturn(aResponse().withStatus(307)
                .withHeader("Location", "http://169.254.169.254/latest/meta-data")));
        channel(releaseId, "WEBHOOK", "/moved/" + releaseId, null);

        String id = send("item.updated", releaseId, "{\"itemId\":\"it-staging\",\"toState\":\"DONE\"}");

        await("dead letter", Duration.ofSeconds(10), () -> statuses(notification(id)).equals(List.of("DEAD_LETTER")));
        assertThat(notification(id).path("deliveries").get(0).path("attempts").get(0).path("statusCode").asInt())
                .isEqualTo(307);
    }

    @Test
    void aReceiverDownForAWhileGetsEverythingWhenItComesBack() {
        String releaseId = stubbedRelease();
        String path = "/outage/" + releaseId;
        RECEIVERS.stubFor(post(path).willReturn(aResponse().withStatus(503)));
        channel(releaseId, "WEBHOOK", path, null);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(send("item.updated", releaseId, "{\"itemId\":\"it-staging\",\"toState\":\"DONE\",\"n\":" + i + "}"));
        }
        await("the breaker to open", Duration.ofSeconds(5),
                () -> RECEIVERS.findAll(postRequestedFor(urlEqualTo(path))).size() >= 5);

        RECEIVERS.stubFor(post(path).willReturn(aResponse().withStatus(200)));

        await("every notification delivered", Duration.ofSeconds(20),
                () -> ids.stream().allMatch(id -> allDelivered(notification(id), 1)));
        List<String> receivedOk = RECEIVERS.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(path) && e.getResponse().getStatus() == 200)
                .map(e -> e.getRequest().getHeader("X-Liftoff-Event-Id")).toList();
        assertThat(receivedOk).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void notificationsAreFilteredByReleaseEventTypeStatusAndChannel() {
        String releaseId = stubbedRelease();
        RECEIVERS.stubFor(post("/filter/" + releaseId).willReturn(aResponse().withStatus(200)));
        channel(releaseId, "WEBHOOK", "/filter/" + releaseId, null);
        String created = send("release.created", releaseId, "{}");
        String updated = send("item.updated", releaseId, "{\"itemId\":\"it-staging\",\"toState\":\"DONE\"}");
        await("deliveries", Duration.ofSeconds(10),
                () -> allDelivered(notification(created), 1) && allDelivered(notification(updated), 1));

        JsonNode byRelease = api.get("/api/notifications?releaseId=" + releaseId, eli()).json();
        JsonNode byType = api.get("/api/notifications?releaseId=" + releaseId + "&eventType=item.updated", eli())
                .json();
        JsonNode byStatusAndChannel = api.get("/api/notifications?releaseId=" + releaseId
                + "&status=DELIVERED&channel=WEBHOOK", eli()).json();
        JsonNode noSlack = api.get("/api/notifications?releaseId=" + releaseId + "&channel=SLACK", eli()).json();

        assertThat(byRelease.path("totalItems").asLong()).isEqualTo(2);
        assertThat(byRelease.path("items").get(0).path("id").asString()).isEqualTo(updated); // newest first
        assertThat(byType.path("items")).hasSize(1);
        assertThat(byType.path("items").get(0).path("id").asString()).isEqualTo(updated);
        assertThat(byStatusAndChannel.path("items")).hasSize(2);
        assertThat(noSlack.path("items")).isEmpty();
    }
}
