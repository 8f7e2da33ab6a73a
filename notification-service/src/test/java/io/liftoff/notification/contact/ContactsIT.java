package io.liftoff.notification.contact;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.liftoff.common.testing.Api;
import io.liftoff.notification.support.AbstractIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ContactsIT extends AbstractIntegrationTest {

    private static List<String> texts(JsonNode array, String field) {
        List<String> result = new ArrayList<>();
        array.forEach(node -> result.add(node.path(field).asString()));
        return result;
    }

    @Test
    void theContactsOfAReleaseComeFromItsChecklistContactItems() {
        String releaseId = stubbedRelease();

        Api.Response response = api.get("/api/products/toolboxai/releases/" + releaseId + "/contacts", eli());

        assertThat(response.status()).isEqualTo(200);
        JsonNode contacts = response.json();
        assertThat(contacts.path("source").asString()).isEqualTo("CHECKLIST");
        assertThat(contacts.path("version").asString()).isEqualTo("1.1.0");
        // the checklist's on-call roles come first (product-wide overrides of other tests may add people after them)
        assertThat(texts(contacts.path("onCall"), "role").subList(0, 5)).containsExactly("Primary Release Manager", "Backend Lead",
                "Frontend Lead", "DevOps Engineer", "Security Lead");
        assertThat(contacts.path("onCall").get(0).path("email").asString()).isEqualTo("[Email]");
        assertThat(contacts.path("onCall").get(0).path("complete").asBoolean()).isFalse();
        JsonNode levels = contacts.path("levels");
        assertThat(texts(levels, "level")).containsExactly("1", "2", "3");
        assertThat(texts(levels.get(0).path("members"), "role")).containsExactly("Release Manager", "Engineering Lead");
        assertThat(texts(levels.get(1).path("members"), "role")).containsExactly("CTO", "Product Manager");
        assertThat(texts(levels.get(2).path("members"), "role")).containsExactly("CEO", "Executive Team");
        assertThat(texts(contacts.path("channels"), "channel")).containsExactly("SLACK", "EMAIL", "PHONE",
                "STATUS_PAGE");
        assertThat(contacts.path("channels").get(0).path("address").asString()).isEqualTo("#release-v1-1-0");
        assertThat(contacts.path("channels").get(0).path("primary").asBoolean()).isTrue();
        assertThat(contacts.path("channels").get(1).path("address").asString()).isEqualTo("releases@toolboxai.com");
        assertThat(contacts.path("channels").get(2).path("note").asString()).isEqualTo("Emergency escalation only");
        assertThat(contacts.path("channels").get(3).path("address").asString()).isEqualTo("status.toolboxai.com");
        PEERS.verify(getRequestedFor(urlEqualTo("/api/releases/" + releaseId))
                .withHeader("Accept", equalTo("application/json")));
    }

    @Test
    void productOverridesCompleteThePlaceholdersAndReleaseOverridesWin() {
        // a product of its own: product-wide overrides would otherwise reach the other tests' releases
        String releaseId = stubbedRelease("overrides");
        Api.Response product = put("/api/products/overrides/contacts", admin(), """
                {"people": [
                  {"role": "Release Manager", "name": "Riley", "email": "riley@toolboxai.example", "phone": "+1 555 0100"},
                  {"role": "Engineering Lead", "name": "Lee", "email": "lee@toolboxai.example"},
                  {"role": "CTO", "name": "Casey", "email": "cto@toolboxai.example"}],
                 "channels": [{"channel": "STATUS_PAGE", "address": "https://status.toolboxai.example"}]}""");
        assertThat(product.status()).isEqualTo(200);

        Api.Response release = put("/api/products/overrides/releases/" + releaseId + "/contacts", admin(), """
                {"people": [{"role": "Engineering Lead", "name": "Lena", "email": "lena@toolboxai.example"}],
                 "levels": [{"level": 3, "members": ["CTO"]}],
                 "channels": [{"channel": "EMAIL", "address": "war-room@toolboxai.example"}]}""");

        assertThat(release.status()).isEqualTo(200);
        JsonNode contacts = release.json();
        JsonNode level1 = contacts.path("levels").get(0).path("members");
        assertThat(level1.get(0).path("email").asString()).isEqualTo("riley@toolboxai.example");
        assertThat(level1.get(0).path("complete").asBoolean()).isTrue();
        assertThat(level1.get(0).path("source").asString()).isEqualTo("PRODUCT");
        assertThat(level1.get(1).path("email").asString()).isEqualTo("lena@toolboxai.example");
        assertThat(level1.get(1).path("source").asString()).isEqualTo("RELEASE");
        assertThat(contacts.path("levels").get(1).path("members").get(1).path("complete").asBoolean()).isFalse();
        JsonNode level3 = contacts.path("levels").get(2);
        assertThat(level3.path("source").asString()).isEqualTo("RELEASE");
        assertThat(texts(level3.path("members"), "email")).containsExactly("cto@toolboxai.example");
        assertThat(contacts.path("channels").get(1).path("address").asString()).isEqualTo("war-room@toolboxai.example");
        assertThat(contacts.path("channels").get(3).path("address").asString())
                .isEqualTo("https://status.toolboxai.example");
        JsonNode stored = api.get("/api/products/overrides/contacts", admin()).json();
        assertThat(texts(stored.path("people"), "role")).containsExactly("Release Manager", "Engineering Lead", "CTO");
    }

    @Test
    void whenChecklistServiceFailsTheContactsAreTheOverridesOnlyAndSaySo() {
        String releaseId = "broken-" + System.nanoTime();
        PEERS.stubFor(get("/api/releases/" + releaseId).willReturn(aResponse().withStatus(500)));
        put("/api/products/toolboxai/releases/" + releaseId + "/contacts", riley(), """
                {"people": [{"role": "Release Manager", "email": "riley@toolboxai.example"}],
                 "levels": [{"level": 1, "members": ["Release Manager"]}]}""");

        JsonNode contacts = api.get("/api/products/toolboxai/releases/" + releaseId + "/contacts", eli()).json();

        assertThat(contacts.path("source").asString()).isEqualTo("OVERRIDES_ONLY");
        assertThat(contacts.path("levels").get(0).path("members").get(0).path("email").asString())
                .isEqualTo("riley@toolboxai.example");
    }

    @Test
    void aReleaseChecklistServiceDoesNotKnowOrOfAnotherProductAnswers404() {
        Api.Response unknown = api.get("/api/products/toolboxai/releases/no-such-release/contacts", eli());
        String releaseId = stubbedRelease(); // a toolboxai release
        Api.Response otherProduct = api.get("/api/products/otherco/releases/" + releaseId + "/contacts", olga());

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.problemType()).isEqualTo("https://liftoff.dev/problems/not-found");
        assertThat(otherProduct.status()).isEqualTo(404);
    }
}
