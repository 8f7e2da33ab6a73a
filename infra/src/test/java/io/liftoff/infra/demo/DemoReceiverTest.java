package io.liftoff.infra.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Properties;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The demo receiver on ephemeral ports, called by a real HTTP client and a real SMTP client (Jakarta Mail). */
class DemoReceiverTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newHttpClient();

    private DemoReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = new DemoReceiver(new DemoReceiver.Options(0, 0, DemoReceiver.DEMO_WEBHOOK_SECRET, 10),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void aSignedWebhookIsKeptWithItsSignatureChecked() throws Exception {
        String body = "{\"type\":\"rollback.triggered\",\"title\":\"Rollback: error rate 7% > 5%\"}";
        String now = Long.toString(Instant.now().getEpochSecond());

        HttpResponse<String> answer = post("/hooks/release-team", body, "X-Liftoff-Event", "rollback.triggered",
                "X-Liftoff-Timestamp", now, "X-Liftoff-Signature", sign(DemoReceiver.DEMO_WEBHOOK_SECRET, now, body));

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode message = messages().get(0);
        assertThat(message.path("channel").asString()).isEqualTo("webhook");
        assertThat(message.path("target").asString()).isEqualTo("/hooks/release-team");
        assertThat(message.path("title").asString()).isEqualTo("rollback.triggered: Rollback: error rate 7% > 5%");
        assertThat(message.path("signature").asString()).isEqualTo("valid");
        assertThat(message.path("answered").asInt()).isEqualTo(200);
        assertThat(message.path("headers").path("X-Liftoff-Timestamp").asString()).isEqualTo(now);
        assertThat(message.path("body").asString()).contains("\"type\" : \"rollback.triggered\"");
    }

    @Test
    void aWrongSecretAnOldTimestampAndAMissingSignatureAreEachShown() throws Exception {
        String body = "{\"type\":\"item.updated\"}";
        String now = Long.toString(Instant.now().getEpochSecond());
        String old = Long.toString(Instant.now().minusSeconds(600).getEpochSecond());

        post("/hooks/a", body, "X-Liftoff-Event", "item.updated", "X-Liftoff-Timestamp", now, "X-Liftoff-Signature",
                sign("another-secret-of-sixteen", now, body));
        post("/hooks/b", body, "X-Liftoff-Event", "item.updated", "X-Liftoff-Timestamp", old, "X-Liftoff-Signature",
                sign(DemoReceiver.DEMO_WEBHOOK_SECRET, old, body));
        post("/hooks/c", body, "X-Liftoff-Event", "item.updated", "X-Liftoff-Timestamp", now);
        // The signature covers the body: the same signature over another body does not check.
        post("/hooks/a", body + " ", "X-Liftoff-Event", "item.updated", "X-Liftoff-Timestamp", now,
                "X-Liftoff-Signature", sign(DemoReceiver.DEMO_WEBHOOK_SECRET, now, body));

        JsonNode messages = messages();
        assertThat(messages.get(3).path("signature").asString()).isEqualTo("invalid");
        assertThat(messages.get(2).path("signature").asString()).isEqualTo("stale");
        assertThat(messages.get(1).path("signature").asString()).isEqualTo("unsigned");
        assertThat(messages.get(0).path("signature").asString()).isEqualTo("invalid");
    }

    @Test
    void aSlackMessageIsShownWithTheFirstLineOfItsText() throws Exception {
        post("/hooks/slack/releases", "{\"text\":\"Release toolboxai 1.1.0 is DEPLOYING\\nby riley\","
                + "\"blocks\":[{\"type\":\"section\"}]}");

        JsonNode message = messages().get(0);
        assertThat(message.path("channel").asString()).isEqualTo("slack");
        assertThat(message.path("title").asString()).isEqualTo("Release toolboxai 1.1.0 is DEPLOYING");
        assertThat(message.path("signature").isNull()).isTrue();
    }

    @Test
    void aHookPlaysAFailingOrSlowReceiverWhenAsked() throws Exception {
        assertThat(post("/hooks/down?status=503", "{\"text\":\"x\"}").statusCode()).isEqualTo(503);
        HttpResponse<String> noContent = post("/hooks/empty?status=204", "{\"text\":\"z\"}");
        assertThat(noContent.statusCode()).isEqualTo(204);
        assertThat(noContent.body()).isEmpty();
        long started = System.nanoTime();
        assertThat(post("/hooks/slow?delay=300", "{\"text\":\"y\"}").statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);

        JsonNode messages = messages();
        assertThat(messages.get(2).path("answered").asInt()).isEqualTo(503);
        assertThat(messages.get(1).path("answered").asInt()).isEqualTo(204);
        assertThat(messages.get(0).path("answered").asInt()).isEqualTo(200);
        assertThat(get("/").body()).contains("answered 503");
    }

    @Test
    void badRequestsAreRefusedAndNothingIsKeptFromThem() throws Exception {
        assertThat(post("/hooks/x?status=abc", "{}").statusCode()).isEqualTo(400);
        assertThat(post("/hooks/x?status=99", "{}").statusCode()).isEqualTo(400);
        assertThat(post("/hooks/x?delay=31000", "{}").statusCode()).isEqualTo(400);
        assertThat(post("/hooks/x", "x".repeat(DemoReceiver.MAX_BODY_BYTES + 1)).statusCode()).isEqualTo(413);
        assertThat(get("/hooks/x").statusCode()).isEqualTo(405);
        assertThat(post("/hooks/", "{}").statusCode()).isEqualTo(404);
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);

        assertThat(messages()).isEmpty();
    }

    @Test
    void thePageEscapesWhatItShowsAndTheInboxCanBeEmptied() throws Exception {
        post("/hooks/x", "{\"text\":\"<script>alert(1)</script>\"}");

        String page = get("/").body();
        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
        assertThat(get("/actuator/health").body()).isEqualTo("{\"status\":\"UP\"}");

        HttpResponse<String> emptied = client.send(HttpRequest.newBuilder(uri("/messages")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(emptied.statusCode()).isEqualTo(204);
        assertThat(messages()).isEmpty();
    }

    @Test
    void theInboxKeepsTheLastMessagesOnly() throws Exception {
        for (int i = 1; i <= 12; i++) {
            post("/hooks/n", "{\"text\":\"message " + i + "\"}");
        }

        JsonNode messages = messages();
        assertThat(messages).hasSize(10);
        assertThat(messages.get(0).path("title").asString()).isEqualTo("message 12");
        assertThat(messages.get(9).path("title").asString()).isEqualTo("message 3");
        assertThat(messages.get(0).path("id").asLong()).isEqualTo(12);
    }

    @Test
    void anEmailWithTextAndHtmlIsKeptWithItsSubjectRecipientsAndPlainText() throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "localhost");
        properties.put("mail.smtp.port", String.valueOf(receiver.smtpPort()));
        Session session = Session.getInstance(properties);
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(new InternetAddress("liftoff@localhost"));
        mail.setRecipients(Message.RecipientType.TO, "release-team@example.com, cto@example.com");
        mail.setSubject("[toolboxai] Rollback triggered – error rate 7 %", "UTF-8");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Level 1: Release Manager\n.a line that starts with a dot\nhttp://localhost:8080/x", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<p>Level 1</p>", "text/html; charset=UTF-8");
        mail.setContent(new MimeMultipart("alternative", text, html));

        Transport.send(mail);

        JsonNode message = messages().get(0);
        assertThat(message.path("channel").asString()).isEqualTo("email");
        assertThat(message.path("title").asString()).isEqualTo("[toolboxai] Rollback triggered – error rate 7 %");
        assertThat(message.path("target").asString()).isEqualTo("release-team@example.com, cto@example.com");
        assertThat(message.path("answered").asInt()).isEqualTo(250);
        assertThat(message.path("headers").path("Parts").asString()).isEqualTo("text/plain, text/html");
        assertThat(message.path("body").asString())
                .isEqualTo("Level 1: Release Manager\n.a line that starts with a dot\nhttp://localhost:8080/x");
    }

    @Test
    void theSmtpSideRefusesCommandsOutOfOrder() throws Exception {
        try (var socket = new java.net.Socket("localhost", receiver.smtpPort());
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                var out = new java.io.PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
            assertThat(in.readLine()).startsWith("220 ");
            out.print("RCPT TO:<a@example.com>\r\n");
            out.flush();
            assertThat(in.readLine()).startsWith("503 ");
            out.print("MAIL FROM:<x@example.com>\r\nDATA\r\n");
            out.flush();
            assertThat(in.readLine()).startsWith("250 ");
            assertThat(in.readLine()).startsWith("503 ");
            out.print("VRFY someone\r\nSTARTTLS\r\nEXPN list\r\nFLY me to the moon\r\nQUIT\r\n");
            out.flush();
            assertThat(in.readLine()).startsWith("252 ");
            assertThat(in.readLine()).startsWith("502 ").contains("offered: EHLO");
            assertThat(in.readLine()).startsWith("502 ");
            assertThat(in.readLine()).startsWith("500 ");
            assertThat(in.readLine()).startsWith("221 ");
        }
        assertThat(messages()).isEmpty();
    }

    @Test
    void theCommandLineIsCheckedBeforeAnythingStarts() {
        assertThat(DemoReceiver.Options.parse("--port=9000", "--keep=10"))
                .isEqualTo(new DemoReceiver.Options(9000, 1025, DemoReceiver.DEMO_WEBHOOK_SECRET, 10));
        assertThatThrownBy(() -> DemoReceiver.Options.parse("--prot=9000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--prot=9000");
        assertThatThrownBy(() -> DemoReceiver.Options.parse("--port=eighty"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numbers");
        assertThatThrownBy(() -> DemoReceiver.Options.parse("--smtp-port=70000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0-65535");
        assertThatThrownBy(() -> DemoReceiver.Options.parse("--webhook-secret="))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--webhook-secret");
        assertThatThrownBy(() -> DemoReceiver.Options.parse("--keep=0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--keep");
        assertThatThrownBy(() -> new Inbox(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private JsonNode messages() throws Exception {
        HttpResponse<String> answer = get("/messages");
        assertThat(answer.statusCode()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("messages");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + receiver.httpPort() + path);
    }

    private static String sign(String secret, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of()
                .formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }
}
