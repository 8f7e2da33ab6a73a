package io.liftoff.signoff.signing;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.liftoff.signoff.config.SignoffProperties;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * The service's ES256 signing keys, persisted in the store ({@code signing_keys}; generated on first use). The newest
 * key signs; every key, retired ones included, stays in the JWKS so old signatures remain verifiable. A key older than
 * {@code liftoff.signoff.key-max-age} is rotated on its next use; an admin can rotate at any time. {@code kid} is the
 * RFC 7638 thumbprint. The private keys sit in the service's own database (a KMS would hold them in production).
 */
@Component
public class SigningKeys {

    public static final String COLLECTION = "signing_keys";
    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    private static final Duration CACHE = Duration.ofSeconds(10);

    private final MongoTemplate mongo;
    private final Clock clock;
    private final Duration maxAge;
    private volatile Cached current;

    private record Cached(ECKey key, Instant createdAt, Instant loadedAt) {
    }

    public SigningKeys(MongoTemplate mongo, Clock clock, SignoffProperties properties) {
        this.mongo = mongo;
        this.clock = clock;
        this.maxAge = properties.keyMaxAge();
    }

    /** Signs {@code payload} as a compact JWS with the current key. */
    public String sign(String type, byte[] payload) {
        ECKey key = currentKey();
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                    .type(new JOSEObjectType(type)).build(), new Payload(payload));
            jws.sign(new ECDSASigner(key));
            return jws.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Signing failed", ex);
        }
    }

    public String currentKeyId() {
        return currentKey().getKeyID();
    }

    ECKey currentKey() {
        Cached cached = current;
        Instant now = clock.instant();
        if (cached == null || cached.loadedAt().plus(CACHE).isBefore(now)) {
            cached = load(now);
            current = cached;
        }
        if (cached.createdAt().plus(maxAge).isBefore(now)) {
            cached = rotateExpired(now);
        }
        return cached.key();
    }

    /** Re-reads the newest key under the lock, so that one expired key is replaced once per instance. */
    private synchronized Cached rotateExpired(Instant now) {
        Cached newest = load(now);
        if (newest.createdAt().plus(maxAge).isBefore(now)) {
            log.info("Signing key {} is older than {}; rotating", newest.key().getKeyID(), maxAge);
            newest = generate();
        }
        current = newest;
        return newest;
    }

    private synchronized Cached load(Instant now) {
        Document newest = mongo.findOne(new Query().with(Sort.by(Sort.Direction.DESC, "createdAt")).limit(1),
                Document.class, COLLECTION);
        if (newest == null) {
            return generate();
        }
        return new Cached(parse(newest.getString("jwk")), newest.getDate("createdAt").toInstant(), now);
    }

    /** A new key becomes the signing key; the previous ones stay published. */
    public synchronized ECKey rotate() {
        Cached generated = generate();
        current = generated;
        return generated.key().toPublicJWK();
    }

    private Cached generate() {
        Instant now = clock.instant();
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE)
                    .keyIDFromThumbprint(true).issueTime(Date.from(now)).generate();
            mongo.insert(new Document("_id", key.getKeyID()).append("jwk", key.toJSONString())
                    .append("createdAt", Date.from(now)), COLLECTION);
            log.info("Generated signing key {}", key.getKeyID());
            return new Cached(key, now, now);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Cannot generate a signing key", ex);
        }
        catch (DuplicateKeyException ex) {
            throw new IllegalStateException("Key id collision", ex);
        }
    }

    /** Every key, newest first, public parts only. */
    public JWKSet publicKeys() {
        currentKey();
        List<com.nimbusds.jose.jwk.JWK> keys = new ArrayList<>();
        for (Document document : mongo.find(new Query().with(Sort.by(Sort.Direction.DESC, "createdAt")),
                Document.class, COLLECTION)) {
            keys.add(parse(document.getString("jwk")).toPublicJWK());
        }
        return new JWKSet(keys);
    }

    public List<Map<String, Object>> publicKeysAsMaps() {
        return publicKeys().getKeys().stream().map(com.nimbusds.jose.jwk.JWK::toJSONObject).toList();
    }

    private static ECKey parse(String json) {
        try {
            return ECKey.parse(json);
        }
        catch (ParseException ex) {
            throw new IllegalStateException("A stored signing key cannot be read", ex);
        }
    }
}
