package io.liftoff.notification.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import io.liftoff.common.store.LiftoffMemoryBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Update;

/** Claims on the embedded store (one process): holds before insert, claims in bulk, writes that go out together. */
class ClaimsTest {

    @Document("boxes")
    static class Box {
        @Id
        public String id;
        public String state;
        public int n;

        Box() {
        }

        Box(String id, String state) {
            this.id = id;
            this.state = state;
        }
    }

    private static final Criteria OPEN = Criteria.where("state").is("open");

    private MongoServer server;
    private MongoClient client;
    private MongoTemplate mongo;
    private Claims claims;

    @BeforeEach
    void start() {
        server = new MongoServer(new LiftoffMemoryBackend());
        server.bind("127.0.0.1", 0);
        client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        mongo = new MongoTemplate(client, "claims");
        claims = new Claims(mongo, new StaticListableBeanFactory(Map.of("server", server))
                .getBeanProvider(MongoServer.class));
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
    }

    private Box claim(String id) {
        return claims.claim(Box.class, id, OPEN, b -> "open".equals(b.state), new Update());
    }

    @Test
    void aDocumentHeldBeforeItIsInsertedIsNotClaimedUntilItIsReleased() {
        assertThat(claims.singleProcess()).isTrue();
        assertThat(claims.hold(Box.class, "a")).isTrue();
        mongo.insert(new Box("a", "open"));

        assertThat(claims.hold(Box.class, "a")).as("held once only").isFalse();
        assertThat(claim("a")).isNull();

        claims.release(Box.class, "a");

        assertThat(claim("a")).isNotNull();
        assertThat(claim("a")).as("claimed now").isNull();
    }

    @Test
    void claimAllReadsSeveralAtOnceAndSkipsHeldMissingAndUnfitOnes() {
        mongo.insert(new Box("a", "open"));
        mongo.insert(new Box("b", "open"));
        mongo.insert(new Box("c", "open"));
        mongo.insert(new Box("d", "done"));
        claims.hold(Box.class, "b");

        List<Box> claimed = claims.claimAll(Box.class, List.of("a", "b", "c", "d", "e"), b -> b.id, OPEN,
                b -> "open".equals(b.state), new Update());

        assertThat(claimed).extracting(b -> b.id).containsExactlyInAnyOrder("a", "c");
        assertThat(claim("a")).as("a stays claimed").isNull();
        assertThat(claims.hold(Box.class, "d")).as("d was let go").isTrue();
        assertThat(claims.hold(Box.class, "e")).as("e was let go").isTrue();
    }

    @Test
    void updateAllWritesEachDocumentItsOwnUpdate() {
        mongo.insert(new Box("a", "open"));
        mongo.insert(new Box("b", "open"));
        Map<String, Update> updates = new LinkedHashMap<>();
        updates.put("a", new Update().set("n", 1));
        updates.put("b", new Update().set("n", 2).set("state", "done"));
        updates.put("gone", new Update().set("n", 3));

        assertThat(claims.updateAll(Box.class, updates, "owner", "me")).as("documents written").isEqualTo(2);

        assertThat(mongo.findById("a", Box.class).n).isEqualTo(1);
        assertThat(mongo.findById("b", Box.class).state).isEqualTo("done");
        assertThat(mongo.findById("gone", Box.class)).isNull();
    }
}
