package io.liftoff.notification.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import io.liftoff.common.testing.Api;
import io.liftoff.notification.support.AbstractIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad configuration input: each refused with its status and problem type, and nothing stored. */
class ConfigurationBadInputIT extends AbstractIntegrationTest {

    private static final String PROBLEMS = "https://liftoff.dev/problems/";

    private static String webhook(String url) {
        return "{\"product\":\"toolboxai\",\"name\":\"hook\",\"type\":\"WEBHOOK\",\"url\":\"" + url + "\"}";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "http://10.0.0.5/hook", "http://172.16.3.4/hook", "http://192.168.1.10/hook",
            "http://169.254.169.254/latest/meta-data/", "http://127.0.0.2:8080/hook", "http://[::1]/hook",
            "http://[fd00::1]/hook", "http://[::ffff:10.0.0.1]/hook", "http://0.0.0.0/hook", "http://100.64.0.1/hook",
            "http://metadata.google.internal/computeMetadata/v1/", "http://168.63.129.16/",
            "ftp://example.com/hook", "file:///etc/passwd", "gopher://localhost/x",
            "http://user:secret@localhost/hook", "http://no-such-host.invalid/hook", "not a url at all" })
    void aForbiddenWebhookAddressIsRefused(String url) {
        long before = mongo.getCollection("channels").countDocuments();

        Api.Response refused = api.json("/api/channels", riley(), webhook(url));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo(PROBLEMS + "forbidden-address");
        assertThat(refused.json().path("field").asString()).isEqualTo("url");
        assertThat(mongo.getCollection("channels").countDocuments()).isEqualTo(before);
    }

    static Stream<Arguments> badChannels() {
        return Stream.of(
                Arguments.of("invalid e-mail", "{\"product\":\"toolboxai\",\"name\":\"m\",\"type\":\"EMAIL\","
                        + "\"recipients\":[\"ok@toolboxai.example\",\"not-an-address\"]}", 400, "invalid-email"),
                Arguments.of("e-mail with a display name", "{\"product\":\"toolboxai\",\"name\":\"m\",\"type\":"
                        + "\"EMAIL\",\"recipients\":[\"Riley <riley@toolboxai.example>\"]}", 400, "invalid-email"),
                Arguments.of("placeholder e-mail", "{\"product\":\"toolboxai\",\"name\":\"m\",\"type\":\"EMAIL\","
                        + "\"recipients\":[\"[Email]\"]}", 400, "invalid-email"),
                Arguments.of("e-mail channel without recipients", "{\"product\":\"toolboxai\",\"name\":\"m\","
                        + "\"type\":\"EMAIL\"}", 400, "validation-failed"),
                Arguments.of("webhook without url", "{\"product\":\"toolboxai\",\"name\":\"h\",\"type\":\"WEBHOOK\"}",
                        400, "validation-failed"),
                Arguments.of("unknown channel type", "{\"product\":\"toolboxai\",\"name\":\"h\",\"type\":\"FAX\"}",
                        400, "malformed-body"),
                Arguments.of("no name", "{\"product\":\"toolboxai\",\"type\":\"WEBHOOK\",\"url\":\"http://localhost/x\"}",
                        400, "validation-failed"),
                Arguments.of("a short secret", "{\"product\":\"toolboxai\",\"name\":\"h\",\"type\":\"WEBHOOK\","
                        + "\"url\":\"http://localhost/x\",\"secret\":\"short\"}", 400, "validation-failed"),
                Arguments.of("level 0", "{\"product\":\"toolboxai\",\"name\":\"h\",\"type\":\"WEBHOOK\","
                        + "\"url\":\"http://localhost/x\",\"levels\":[0]}", 400, "validation-failed"),
                Arguments.of("unknown event type", "{\"product\":\"toolboxai\",\"name\":\"h\",\"type\":\"WEBHOOK\","
                        + "\"url\":\"http://localhost/x\",\"eventTypes\":[\"release.exploded\"]}", 422,
                        "unknown-event-type"),
                Arguments.of("malformed JSON", "{\"product\":", 400, "malformed-body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badChannels")
    void aBadChannelIsRefused(String name, String body, int status, String type) {
        long before = mongo.getCollection("channels").countDocuments();

        Api.Response refused = api.json("/api/channels", riley(), body);

        assertThat(refused.status()).isEqualTo(status);
        assertThat(refused.problemType()).isEqualTo(PROBLEMS + type);
        assertThat(mongo.getCollection("channels").countDocuments()).isEqualTo(before);
    }

    static Stream<Arguments> badContacts() {
        return Stream.of(
                Arguments.of("invalid person e-mail", "{\"people\":[{\"role\":\"CTO\",\"email\":\"cto-at-example\"}]}",
                        400, "invalid-email"),
                Arguments.of("invalid e-mail channel address", "{\"channels\":[{\"channel\":\"EMAIL\","
                        + "\"address\":\"releases@\"}]}", 400, "invalid-email"),
                Arguments.of("person without role", "{\"people\":[{\"email\":\"cto@toolboxai.example\"}]}", 400,
                        "validation-failed"),
                Arguments.of("level 10", "{\"levels\":[{\"level\":10,\"members\":[\"CTO\"]}]}", 400,
                        "validation-failed"),
                Arguments.of("unknown channel kind", "{\"channels\":[{\"channel\":\"PIGEON\"}]}", 400,
                        "malformed-body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badContacts")
    void badContactOverridesAreRefused(String name, String body, int status, String type) {
        Api.Response refused = put("/api/products/toolboxai/releases/" + stubbedRelease() + "/contacts", riley(),
                body);

        assertThat(refused.status()).isEqualTo(status);
        assertThat(refused.problemType()).isEqualTo(PROBLEMS + type);
    }

    static Stream<Arguments> badTemplates() {
        return Stream.of(
                Arguments.of("unknown field", "item.updated",
                        "{\"title\":\"{{release.versoin}} {{item.text}}\",\"text\":\"{{item.colour}}\"}", 422,
                        "unknown-template-field"),
                Arguments.of("a field of another event type", "gate.cleared",
                        "{\"title\":\"{{metric.value}}\",\"text\":\"x\"}", 422, "unknown-template-field"),
                Arguments.of("unknown field in the HTML", "rollback.triggered",
                        "{\"title\":\"x\",\"text\":\"x\",\"html\":\"<b>{{secret}}</b>\"}", 422,
                        "unknown-template-field"),
                Arguments.of("unknown event type", "release.exploded", "{\"title\":\"x\",\"text\":\"x\"}", 422,
                        "unknown-event-type"),
                Arguments.of("no title", "item.updated", "{\"text\":\"x\"}", 400, "validation-failed"),
                Arguments.of("empty text", "item.updated", "{\"title\":\"x\",\"text\":\"\"}", 400,
                        "validation-failed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTemplates")
    void aBadTemplateIsRefused(String name, String eventType, String body, int status, String type) {
        Api.Response refused = put("/api/products/toolboxai/templates/" + eventType, riley(), body);

        assertThat(refused.status()).isEqualTo(status);
        assertThat(refused.problemType()).isEqualTo(PROBLEMS + type);
    }

    @Test
    void aTemplateWithUnknownFieldsNamesThem() {
        Api.Response refused = put("/api/products/toolboxai/templates/item.updated", riley(),
                "{\"title\":\"{{release.versoin}}\",\"text\":\"{{item.text}} {{item.colour}}\"}");

        assertThat(refused.json().path("fields").get(0).asString()).isEqualTo("release.versoin");
        assertThat(refused.json().path("fields").get(1).asString()).isEqualTo("item.colour");
        assertThat(refused.json().path("fields")).hasSize(2);
    }

    @Test
    void bothSecretsOfAChannelAreStoredAndNeverReturned() {
        String releaseId = stubbedRelease();
        String slackUrl = RECEIVERS.baseUrl() + "/services/T000/B000/XXXXSECRETXXXX";
        Api.Response slack = api.json("/api/channels", riley(), "{\"product\":\"toolboxai\",\"releaseId\":\""
                + releaseId + "\",\"name\":\"#release\",\"type\":\"SLACK\",\"url\":\"" + slackUrl + "\"}");
        Api.Response hook = api.json("/api/channels", riley(), "{\"product\":\"toolboxai\",\"releaseId\":\""
                + releaseId + "\",\"name\":\"hook\",\"type\":\"WEBHOOK\",\"url\":\"" + RECEIVERS.baseUrl()
                + "/h\",\"secret\":\"0123456789abcdef-secret\"}");

        assertThat(slack.status()).isEqualTo(201);
        assertThat(slack.body()).doesNotContain("XXXXSECRETXXXX");
        assertThat(slack.json().path("host").asString()).isEqualTo("localhost");
        assertThat(hook.body()).doesNotContain("0123456789abcdef-secret");
        String hookId = hook.json().path("id").asString();
        Api.Response updated = put("/api/channels/" + hookId, riley(), "{\"product\":\"toolboxai\",\"releaseId\":\""
                + releaseId + "\",\"name\":\"renamed\",\"type\":\"WEBHOOK\",\"url\":\"" + RECEIVERS.baseUrl()
                + "/h2\"}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("hasSecret").asBoolean()).isTrue(); // kept when left out
        assertThat(updated.json().path("name").asString()).isEqualTo("renamed");
        Api.Response list = api.get("/api/channels?releaseId=" + releaseId, eli());
        assertThat(list.body()).doesNotContain("XXXXSECRETXXXX").doesNotContain("0123456789abcdef-secret");
        assertThat(list.json()).hasSize(2);
    }
}
