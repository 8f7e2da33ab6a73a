package io.liftoff.signoff.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.mongodb.client.MongoClient;
import io.liftoff.signoff.config.SignoffProperties;
import io.liftoff.signoff.support.AbstractIntegrationTest;
import io.liftoff.signoff.verify.LeafVerifier;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.MongoTemplate;

class SigningKeysTest extends AbstractIntegrationTest {

    @Autowired
    MongoClient client;

    @Test
    void aKeyOlderThanItsMaxAgeIsRotatedOnItsNextUseAndItsOldSignaturesStillVerify() {
        // A database of its own, so the keys of this test never meet the service's.
        MongoTemplate store = new MongoTemplate(client, "keys-" + UUID.randomUUID());
        SignoffProperties properties = new SignoffProperties(Duration.ofSeconds(300), 2, Map.of(),
                Duration.ofDays(90), 10_000, Duration.ofSeconds(30), Duration.ofHours(1));
        SigningKeys today = new SigningKeys(store, Clock.systemUTC(), properties);
        String first = today.currentKeyId();
        String signed = today.sign(LeafVerifier.SIGNOFF_TYPE, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(new SigningKeys(store, Clock.systemUTC(), properties).currentKeyId()).isEqualTo(first);

        SigningKeys in91Days = new SigningKeys(store, Clock.offset(Clock.systemUTC(), Duration.ofDays(91)), properties);
        String second = in91Days.currentKeyId();
        assertThat(second).isNotEqualTo(first);
        assertThat(in91Days.publicKeys().getKeys()).hasSize(2);
        assertThat(in91Days.publicKeys().getKeys()).allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
        assertThat(LeafVerifier.verify(signed, LeafVerifier.SIGNOFF_TYPE, in91Days.publicKeys()).valid()).isTrue();
    }
}
