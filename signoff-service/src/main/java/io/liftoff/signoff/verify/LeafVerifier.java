package io.liftoff.signoff.verify;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

/**
 * Checks a signed statement (a log leaf, a checkpoint) against a key set: compact JWS, ES256, a {@code kid} found in
 * the set, a valid signature, the expected {@code typ}. Used by the offline verifier and by the service's own integrity
 * check; depends on nothing but nimbus-jose-jwt.
 */
public final class LeafVerifier {

    public static final String SIGNOFF_TYPE = "liftoff-signoff+jws";
    public static final String CHECKPOINT_TYPE = "liftoff-checkpoint+jws";

    private LeafVerifier() {
    }

    /** The outcome: the payload's JSON object when valid, and what is wrong otherwise. */
    public record Result(Map<String, Object> payload, List<String> problems) {

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    public static Result verify(byte[] compactJws, String expectedType, JWKSet keys) {
        return verify(new String(compactJws, StandardCharsets.UTF_8), expectedType, keys);
    }

    public static Result verify(String compactJws, String expectedType, JWKSet keys) {
        List<String> problems = new ArrayList<>();
        JWSObject jws;
        try {
            jws = JWSObject.parse(compactJws);
        }
        catch (ParseException ex) {
            problems.add("not a compact JWS");
            return new Result(null, problems);
        }
        if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())) {
            problems.add("algorithm is " + jws.getHeader().getAlgorithm() + ", not ES256");
        }
        if (jws.getHeader().getType() == null || !expectedType.equals(jws.getHeader().getType().getType())) {
            problems.add("typ is not " + expectedType);
        }
        String kid = jws.getHeader().getKeyID();
        JWK key = kid == null ? null : keys.getKeyByKeyId(kid);
        if (!(key instanceof ECKey ecKey)) {
            problems.add("signing key '" + kid + "' is not in the key set");
        }
        else {
            try {
                if (!jws.verify(new ECDSAVerifier(ecKey.toECPublicKey()))) {
                    problems.add("signature does not verify with key " + kid);
                }
            }
            catch (JOSEException ex) {
                problems.add("signature cannot be checked with key " + kid);
            }
        }
        Map<String, Object> payload = jws.getPayload().toJSONObject();
        if (payload == null) {
            problems.add("payload is not a JSON object");
        }
        return new Result(payload, problems);
    }
}
