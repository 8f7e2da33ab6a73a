package io.liftoff.gateway.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * For {@code gateway/bench/run.sh} only: makes a throw-away RSA key, writes its public half as PEM to
 * {@code <dir>/bench-jwt.pub.pem} (for {@code liftoff.security.public-key-location}) and prints one access token
 * (release-manager of toolboxai, audience checklist-service, valid two hours) signed with it. No Keycloak needed.
 *
 * <p>Usage: {@code BenchTokens <dir> <issuer>}
 */
public final class BenchTokens {

    private BenchTokens() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String issuer = args[1];
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Files.writeString(dir.resolve("bench-jwt.pub.pem"), pem, StandardCharsets.US_ASCII);
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("bench-riley").issuer(issuer)
                .audience(List.of("checklist-service")).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(7200))).jwtID(UUID.randomUUID().toString())
                .claim("azp", "liftoff-cli").claim("preferred_username", "bench-riley").claim("acr", "1")
                .claim("auth_time", now.getEpochSecond())
                .claim("realm_access", Map.of("roles", List.of("release-manager")))
                .claim("products", List.of("toolboxai")).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("bench").build(), claims);
        jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
        System.out.println(jwt.serialize());
    }
}
