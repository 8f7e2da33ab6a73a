package io.liftoff.signoff.verify;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.nimbusds.jose.jwk.JWKSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.liftoff.signoff.log.MerkleTree;

/**
 * Verifies an auditor's bundle offline: the checkpoint's signature, and for every entry its leaf hash, its inclusion
 * proof against the checkpoint's root (RFC 9162 section 2.1.3.2) and the service's signature over the statement. Names
 * every entry that fails. Exit status: 0 all verified, 1 some check failed, 2 not a bundle (or unreadable).
 * <p>
 * {@code java -cp signoff-service/target/signoff-service-*.jar -Dloader.main=io.liftoff.signoff.verify.BundleVerifier
 * org.springframework.boot.loader.launch.PropertiesLauncher bundle.json}, or {@code signoff-service/bin/verify-bundle
 * bundle.json}.
 */
public final class BundleVerifier {

    public static final String FORMAT = "liftoff-signoff-bundle/1";

    private BundleVerifier() {
    }

    /** What the verifier found: bundle-level problems, and the problems of each failing entry by index. */
    public record Report(boolean isBundle, List<String> bundleProblems, Map<Long, List<String>> failingEntries,
            int entries) {

        public boolean verified() {
            return isBundle && bundleProblems.isEmpty() && failingEntries.isEmpty();
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream out) {
        if (args.length != 1) {
            out.println("usage: verify-bundle <bundle.json>");
            return 2;
        }
        String json;
        try {
            json = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            out.println("cannot read " + args[0] + ": " + ex.getMessage());
            return 2;
        }
        Report report = verify(json);
        if (!report.isBundle()) {
            out.println("NOT A BUNDLE: " + String.join("; ", report.bundleProblems()));
            return 2;
        }
        report.bundleProblems().forEach(problem -> out.println("FAIL checkpoint: " + problem));
        report.failingEntries().forEach((index, problems) -> out.println("FAIL entry " + index + ": "
                + String.join("; ", problems)));
        out.println((report.verified() ? "VERIFIED " : "FAILED ") + report.entries() + " entries, "
                + report.failingEntries().size() + " failing" + (report.bundleProblems().isEmpty() ? ""
                        : ", checkpoint invalid"));
        return report.verified() ? 0 : 1;
    }

    public static Report verify(String json) {
        JsonNode bundle;
        try {
            bundle = JsonMapper.builder().build().readTree(json);
        }
        catch (JacksonException ex) {
            return notBundle("not JSON");
        }
        if (bundle == null || !bundle.isObject() || !FORMAT.equals(bundle.path("format").asString(null))) {
            return notBundle("format is not " + FORMAT);
        }
        JsonNode checkpoint = bundle.path("checkpoint");
        if (!checkpoint.isObject() || !bundle.path("entries").isArray() || !bundle.path("keys").isObject()) {
            return notBundle("checkpoint, keys or entries missing");
        }
        JWKSet keys;
        try {
            keys = JWKSet.parse(bundle.path("keys").toString());
        }
        catch (ParseException ex) {
            return notBundle("keys is not a JWK set");
        }
        List<String> bundleProblems = new ArrayList<>();
        long treeSize = checkpoint.path("treeSize").asLong(-1);
        byte[] root = decode(checkpoint.path("rootHash").asString(""));
        LeafVerifier.Result signed = LeafVerifier.verify(checkpoint.path("signature").asString(""),
                LeafVerifier.CHECKPOINT_TYPE, keys);
        bundleProblems.addAll(signed.problems());
        if (signed.payload() != null) {
            Object signedSize = signed.payload().get("treeSize");
            if (!(signedSize instanceof Number number) || number.longValue() != treeSize) {
                bundleProblems.add("signed treeSize differs from the checkpoint's");
            }
            if (!Objects.equals(signed.payload().get("rootHash"), checkpoint.path("rootHash").asString(""))) {
                bundleProblems.add("signed rootHash differs from the checkpoint's");
            }
        }
        Map<Long, List<String>> failing = new LinkedHashMap<>();
        int count = 0;
        for (JsonNode entry : bundle.path("entries")) {
            count++;
            long index = entry.path("index").asLong(-1);
            List<String> problems = verifyEntry(entry, treeSize, root, keys);
            if (!problems.isEmpty()) {
                failing.put(index, problems);
            }
        }
        return new Report(true, bundleProblems, failing, count);
    }

    private static List<String> verifyEntry(JsonNode entry, long treeSize, byte[] root, JWKSet keys) {
        List<String> problems = new ArrayList<>();
        long index = entry.path("index").asLong(-1);
        byte[] leaf = decode(entry.path("leaf").asString(""));
        byte[] leafHash = MerkleTree.leafHash(leaf);
        if (!Arrays.equals(leafHash, decode(entry.path("leafHash").asString("")))) {
            problems.add("leafHash is not SHA-256(0x00 || leaf)");
        }
        if (entry.path("treeSize").asLong(-1) != treeSize) {
            problems.add("proof is for tree size " + entry.path("treeSize").asLong(-1) + ", not the checkpoint's");
        }
        List<byte[]> proof = new ArrayList<>();
        entry.path("inclusionProof").forEach(node -> proof.add(decode(node.asString(""))));
        if (!MerkleTree.verifyInclusion(index, treeSize, leafHash, proof, root)) {
            problems.add("inclusion proof does not lead to the checkpoint's root");
        }
        LeafVerifier.Result statement = LeafVerifier.verify(leaf, LeafVerifier.SIGNOFF_TYPE, keys);
        problems.addAll(statement.problems());
        if (statement.payload() != null && entry.has("signoffId")
                && !Objects.equals(statement.payload().get("id"), entry.path("signoffId").asString(null))) {
            problems.add("signed statement is not sign-off " + entry.path("signoffId").asString(""));
        }
        return problems;
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        }
        catch (IllegalArgumentException ex) {
            return new byte[0];
        }
    }

    private static Report notBundle(String why) {
        return new Report(false, List.of(why), Map.of(), 0);
    }
}
