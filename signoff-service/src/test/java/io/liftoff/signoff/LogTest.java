package io.liftoff.signoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.liftoff.common.testing.Api;
import io.liftoff.signoff.log.LogAuditor;
import io.liftoff.signoff.log.MerkleTree;
import io.liftoff.signoff.log.SignoffLog;
import io.liftoff.signoff.support.AbstractIntegrationTest;
import io.liftoff.signoff.verify.BundleVerifier;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

class LogTest extends AbstractIntegrationTest {

    @TempDir
    Path dir;

    @Autowired
    LogAuditor auditor;

    @Test
    void everyEntryHasAnInclusionProofToTheSignedCheckpointAndCheckpointsAreConsistent() {
        String id = newRelease();
        api.json("/api/releases/" + id + "/signoffs", sam(), signoffJson("security-lead", "APPROVE"));
        JsonNode earlier = api.get("/api/log/checkpoint", viewer()).json();
        signAllButSecurity(id);
        JsonNode checkpoint = api.get("/api/log/checkpoint", viewer()).json();
        long size = checkpoint.path("treeSize").asLong();
        byte[] root = b64(checkpoint.path("rootHash").asString());
        assertThat(checkpoint.path("keyId").asString()).isNotBlank();
        assertThat(checkpoint.path("signature").asString()).contains(".");

        for (JsonNode signoff : api.get("/api/releases/" + id + "/signoffs", viewer()).json().path("signoffs")) {
            long index = signoff.path("logIndex").asLong();
            JsonNode entry = api.get("/api/log/entries/" + index + "?treeSize=" + size, viewer()).json();
            byte[] leaf = b64(entry.path("leaf").asString());
            assertThat(new String(leaf, StandardCharsets.UTF_8)).isEqualTo(signoff.path("jws").asString());
            assertThat(MerkleTree.leafHash(leaf)).isEqualTo(b64(entry.path("leafHash").asString()));
            List<byte[]> proof = new ArrayList<>();
            entry.path("inclusionProof").forEach(p -> proof.add(b64(p.asString())));
            assertThat(MerkleTree.verifyInclusion(index, size, MerkleTree.leafHash(leaf), proof, root)).isTrue();
        }

        long first = earlier.path("treeSize").asLong();
        JsonNode consistency = api.get("/api/log/consistency?first=" + first + "&second=" + size, viewer()).json();
        List<byte[]> proof = new ArrayList<>();
        consistency.path("proof").forEach(p -> proof.add(b64(p.asString())));
        assertThat(MerkleTree.verifyConsistency(first, size, b64(earlier.path("rootHash").asString()), root, proof))
                .isTrue();
        assertThat(api.get("/api/log/consistency?first=" + size + "&second=" + (size + 5), viewer()).problemType())
                .isEqualTo("https://liftoff.dev/problems/invalid-parameter");
        assertThat(api.get("/api/log/entries/" + (size + 10), viewer()).status()).isEqualTo(404);
    }

    @Test
    void anAuditBundleVerifiesOfflineAndAnEditedEntryIsNamedByTheVerifierAndTheCheckpoint() throws Exception {
        String id = newRelease();
        signAllPreRelease(id);
        Api.Response exported = api.get("/api/log/export?releaseId=" + id, ada());
        assertThat(exported.status()).isEqualTo(200);
        assertThat(exported.json().path("entries").size()).isEqualTo(5);
        BundleVerifier.Report clean = BundleVerifier.verify(exported.body());
        assertThat(clean.verified()).as(clean.toString()).isTrue();
        assertThat(run(exported.body())).startsWith("VERIFIED 5 entries");
        // Kept in the build folder so bin/verify-bundle can be tried on a real bundle after `package`.
        Files.writeString(Path.of("target", "sample-audit-bundle.json"), exported.body());
        assertThat(api.get("/api/log/checkpoint?verify=true", ada()).status()).isEqualTo(200);

        long index = exported.json().path("entries").get(2).path("index").asLong();
        Document stored = mongo.getCollection(SignoffLog.ENTRIES).find(Filters.eq("_id", index)).first();
        byte[] original = stored.get("leaf", Binary.class).getData();
        String forged = new String(original, StandardCharsets.UTF_8);
        String[] parts = forged.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"APPROVE\"", "\"REJECT\"");
        forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        mongo.getCollection(SignoffLog.ENTRIES).updateOne(Filters.eq("_id", index),
                Updates.set("leaf", new Binary(forged.getBytes(StandardCharsets.UTF_8))));
        try {
            Api.Response tampered = api.get("/api/log/export?releaseId=" + id, ada());
            BundleVerifier.Report report = BundleVerifier.verify(tampered.body());
            assertThat(report.verified()).isFalse();
            assertThat(report.failingEntries()).containsOnlyKeys(index);
            assertThat(run(tampered.body())).contains("FAIL entry " + index + ":", "FAILED 5 entries, 1 failing");

            auditor.backgroundAudit();
            Api.Response plain = api.get("/api/log/checkpoint", viewer());
            assertThat(plain.status()).isEqualTo(500);
            assertThat(plain.problemType()).isEqualTo("https://liftoff.dev/problems/log-integrity-failure");

            Api.Response checkpoint = api.get("/api/log/checkpoint?verify=true", ada());
            assertThat(checkpoint.status()).isEqualTo(500);
            assertThat(checkpoint.problemType()).isEqualTo("https://liftoff.dev/problems/log-integrity-failure");
            assertThat(SignoffFlowTest.strings(checkpoint.json().path("failingEntries")))
                    .containsExactly(String.valueOf(index));
        }
        finally {
            mongo.getCollection(SignoffLog.ENTRIES).updateOne(Filters.eq("_id", index),
                    Updates.set("leaf", new Binary(original)));
        }
        assertThat(api.get("/api/log/checkpoint?verify=true", ada()).status()).isEqualTo(200);
        assertThat(api.get("/api/log/checkpoint", viewer()).status()).isEqualTo(200);
    }

    @Test
    void oldSignaturesStayVerifiableAfterAKeyRotation() {
        String id = newRelease();
        String before = api.json("/api/releases/" + id + "/signoffs", sam(), signoffJson("security-lead", "APPROVE"))
                .json().path("keyId").asString();
        String rotated = api.post("/api/log/keys/rotation", admin(), "application/json", "").json().path("kid")
                .asString();
        String after = api.json("/api/releases/" + id + "/signoffs", emma(),
                signoffJson("engineering-manager", "APPROVE")).json().path("keyId").asString();
        assertThat(after).isEqualTo(rotated).isNotEqualTo(before);
        JsonNode keys = api.get("/api/log/keys", viewer()).json().path("keys");
        assertThat(keys.findValues("kid").stream().map(JsonNode::asString).toList()).contains(before, after);
        String bundle = api.get("/api/log/export?releaseId=" + id, ada()).body();
        assertThat(BundleVerifier.verify(bundle).verified()).isTrue();
    }

    @Test
    void theVerifierRefusesWhatIsNotABundle() throws Exception {
        for (String notABundle : List.of("not json", "[1,2]", "{\"format\":\"something-else/1\"}",
                "{\"format\":\"liftoff-signoff-bundle/1\",\"entries\":[]}",
                "{\"format\":\"liftoff-signoff-bundle/1\",\"checkpoint\":{},\"entries\":[],\"keys\":{\"keys\":7}}")) {
            assertThat(BundleVerifier.verify(notABundle).isBundle()).as(notABundle).isFalse();
            Path file = dir.resolve("bundle.json");
            Files.writeString(file, notABundle);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(BundleVerifier.run(new String[] { file.toString() }, new PrintStream(out))).isEqualTo(2);
            assertThat(out.toString()).startsWith("NOT A BUNDLE");
        }
    }

    private String run(String bundle) throws Exception {
        Path file = dir.resolve("bundle-" + System.nanoTime() + ".json");
        Files.writeString(file, bundle);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BundleVerifier.run(new String[] { file.toString() }, new PrintStream(out));
        return out.toString();
    }

    private void signAllButSecurity(String id) {
        String[][] cast = { { "emma", "engineering-manager" }, { "quinn", "qa-lead" }, { "dana", "devops-lead" } };
        for (String[] person : cast) {
            assertThat(api.json("/api/releases/" + id + "/signoffs", signer(person[0], person[1]),
                    signoffJson(person[1], "APPROVE")).status()).isEqualTo(201);
        }
    }

    private static byte[] b64(String value) {
        return Base64.getDecoder().decode(value);
    }
}
