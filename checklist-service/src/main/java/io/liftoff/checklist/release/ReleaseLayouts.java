package io.liftoff.checklist.release;

import java.util.LinkedHashMap;
import java.util.Map;

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
    private final Map<String, ReleaseLayout> cache = new LinkedHashMap<>(CACHE_SIZE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ReleaseLayout> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    ReleaseLayouts(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    void insert(ReleaseLayout layout) {
        mongo.insert(new Document("_id", layout.id()).append("json", new Binary(toJson(layout))),
                COLLECTION);
        synchronized (cache) {
            cache.put(layout.id(), layout);
        }
    }

    void delete(String id) {
        synchronized (cache) {
            cache.remove(id);
        }
        mongo.remove(Query.query(Criteria.where("_id").is(id)), COLLECTION);
    }

    ReleaseLayout get(String id) {
        synchronized (cache) {
            ReleaseLayout cached = cache.get(id);
            if (cached != null) {
                return cached;
            }
        }
        Document stored = mongo.findById(id, Document.class, COLLECTION);
        if (stored == null) {
            throw new IllegalStateException("Release " + id + " has no layout");
        }
        ReleaseLayout layout = fromJson(stored.get("json", Binary.class).getData());
        synchronized (cache) {
            cache.put(id, layout);
        }
        return layout;
    }

    static byte[] toJson(ReleaseLayout layout) {
        return JSON.writeValueAsBytes(layout);
    }

    static ReleaseLayout fromJson(byte[] json) {
        return JSON.readValue(json, ReleaseLayout.class);
    }
}
