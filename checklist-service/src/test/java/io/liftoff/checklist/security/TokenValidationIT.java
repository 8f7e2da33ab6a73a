package io.liftoff.checklist.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.liftoff.checklist.support.AbstractIntegrationTest;
import io.liftoff.common.testing.Api;
import io.liftoff.common.testing.TestJwts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The service validates tokens itself: every forged, expired or misdirected token is 401, called directly. */
class TokenValidationIT extends AbstractIntegrationTest {

    static Stream<Arguments> badTokens() throws Exception {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String claims = b64("{\"sub\":\"eve\",\"iss\":\"" + TestJwts.ISSUER + "\",\"aud\":[\"checklist-service\"],"
                + "\"exp\":" + (Instant.now().getEpochSecond() + 600)
                + ",\"realm_access\":{\"roles\":[\"admin\"]}}");
        byte[] publicKey = AccessIT.class.getResourceAsStream("/liftoff-test-jwt.pub.pem").readAllBytes();
        SignedJWT hs256 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("eve")
                .issuer(TestJwts.ISSUER).audience("checklist-service")
                .expirationTime(java.util.Date.from(Instant.now().plusSeconds(600)))
                .claim("realm_access", java.util.Map.of("roles", java.util.List.of("admin"))).build());
        hs256.sign(new MACSigner(java.util.Arrays.copyOf(publicKey, Math.max(32, publicKey.length))));
        return Stream.of(
                Arguments.of("alg none", header + "." + claims + "."),
                Arguments.of("HS256 signed with the public key", hs256.serialize()),
                Arguments.of("expired", TestJwts.user("eli").roles("engineer").products("toolboxai")
                        .audience("checklist-service").expiresAt(Instant.now().minusSeconds(120)).sign()),
                Arguments.of("wrong issuer", TestJwts.user("eli").roles("engineer").products("toolboxai")
                        .audience("checklist-service").issuer("https://evil.example/realms/liftoff").sign()),
                Arguments.of("wrong audience", TestJwts.user("eli").roles("engineer").products("toolboxai")
                        .audience("notification-service").sign()),
                Arguments.of("garbage", "not.a.token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void aBadTokenIsRefusedWith401(String name, String token) {
        Api.Response response = api.get("/api/releases", token);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(response.problemType()).isEqualTo("https://liftoff.dev/problems/unauthorized");
    }

    @Test
    void aTokenInTheQueryStringIsNotAccepted() {
        Api.Response response = api.get("/api/releases?access_token=" + eli(), null);

        assertThat(response.status()).isEqualTo(401);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
