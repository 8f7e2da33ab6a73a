package io.liftoff.checklist.release;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/** The immutable layouts of releases, read by id and kept in a small LRU cache (they never change once written). */
@Component
class ReleaseLayouts {

    static final String COLLECTION = "release_layout";
    private static final int CACHE_SIZE = 256;

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
        mongo.insert(layout, COLLECTION);
    }

    void delete(String id) {
        synchronized (cache) {
            cache.remove(id);
        }
        mongo.remove(org.springframework.data.mongodb.core.query.Query.query(
                org.springframework.data.mongodb.core.query.Criteria.where("_id").is(id)), COLLECTION);
    }

    ReleaseLayout get(String id) {
        synchronized (cache) {
            ReleaseLayout cached = cache.get(id);
            if (cached != null) {
                return cached;
            }
        }
        ReleaseLayout layout = mongo.findById(id, ReleaseLayout.class, COLLECTION);
        if (layout == null) {
            throw new IllegalStateException("Release " + id + " has no layout");
        }
        synchronized (cache) {
            cache.put(id, layout);
        }
        return layout;
    }
}
