package io.liftoff.checklist.release;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.bson.Document;
import org.bson.types.Binary;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * The immutable layouts of releases, read by id and kept in a small LRU cache (they never change once written).
 * <p>
 * A layout is stored as one JSON value ({@code json}, binary) rather than as nested documents: it is written once and
 * only ever read whole, by id, and a store (the embedded one above all) copies and measures a deeply nested document
 * field by field on every write, which made it the most expensive part of importing a checklist.
 */
@Component
class ReleaseLayouts {

    static final String COLLECTION = "release_layout";
    private static final int CACHE_SIZE = 16;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MongoTemplate mongo;
    private final Cache<String, ReleaseLayout> cache = Caffeine.newBuilder().maximumSize(CACHE_SIZE).build();

    ReleaseLayouts(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    void insert(ReleaseLayout layout) {
        mongo.insert(new Document("_id", layout.id()).append("json", new Binary(toJson(layout))),
                COLLECTION);
        cache.put(layout.id(), layout);
    }

    void delete(String id) {
        cache.invalidate(id);
        mongo.remove(Query.query(Criteria.where("_id").is(id)), COLLECTION);
    }

    ReleaseLayout get(String id) {
        return cache.get(id, this::load);
    }

    private ReleaseLayout load(String id) {
        Document stored = mongo.findById(id, Document.class, COLLECTION);
        if (stored == null) {
            throw new IllegalStateException("Release " + id + " has no layout");
        }
        return fromJson(stored.get("json", Binary.class).getData());
    }

    static byte[] toJson(ReleaseLayout layout) {
        return JSON.writeValueAsBytes(layout);
    }

    static ReleaseLayout fromJson(byte[] json) {
        return JSON.readValue(json, ReleaseLayout.class);
    }
}
