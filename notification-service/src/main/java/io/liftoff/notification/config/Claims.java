package io.liftoff.notification.config;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import com.mongodb.client.result.UpdateResult;
import de.bwaldvogel.mongo.MongoServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Claims a document for one worker: in this process with an in-memory set, across replicas with a lease written by a
 * conditional {@code findAndModify} (the lease fields also tell a restarted service which claims are still fresh).
 * <p>
 * Why two ways: the embedded store (mongo-java-server 1.47) uses its {@code _id} index only for a query that is
 * exactly {@code {_id: …}}; a conditional claim scans the whole collection under a lock, which grows with every
 * stored notification. The embedded store lives inside this one process, so there the in-memory set is the exclusion
 * and the conditions are checked on the document read by id; against a real MongoDB (several replicas) the
 * conditions go into the query, which its indexes serve.
 */
@Component
public class Claims {

    private final MongoTemplate mongo;
    private final boolean singleProcess;
    private final Set<String> held = ConcurrentHashMap.newKeySet();

    public Claims(MongoTemplate mongo, ObjectProvider<MongoServer> embeddedServer) {
        this.mongo = mongo;
        this.singleProcess = embeddedServer.getIfAvailable() != null;
    }

    /**
     * @param conditions the claim's conditions as a query (for a shared store), without the id
     * @param check      the same conditions on the document (for the embedded store)
     * @param lease      the update that writes the lease (a shared store only)
     * @return the claimed document as updated, or null when it is not claimable (or claimed in this process)
     */
    public <T> T claim(Class<T> type, String id, Criteria conditions, Predicate<T> check, Update lease) {
        String key = type.getSimpleName() + ":" + id;
        if (!held.add(key)) {
            return null;
        }
        boolean claimed = false;
        try {
            T document;
            if (singleProcess) {
                // this process is the only one: the in-memory hold is the claim, no lease needs writing
                T current = mongo.findById(id, type);
                document = current == null || !check.test(current) ? null : current;
            }
            else {
                document = mongo.findAndModify(Query.query(Criteria.where("_id").is(id).andOperator(conditions)),
                        lease, FindAndModifyOptions.options().returnNew(true), type);
            }
            claimed = document != null;
            return document;
        }
        finally {
            if (!claimed) {
                held.remove(key);
            }
        }
    }

    /** Writes to a document this worker claimed; false when the claim was lost (a shared store only). */
    public boolean update(Class<?> type, String id, String ownerField, String owner, Update update) {
        Query query = singleProcess ? byId(id) : Query.query(Criteria.where("_id").is(id).and(ownerField).is(owner));
        UpdateResult result = mongo.updateFirst(query, update, type);
        return result.getMatchedCount() > 0;
    }

    /** Ends this process's hold on a claimed document (after its last write). */
    public void release(Class<?> type, String id) {
        held.remove(type.getSimpleName() + ":" + id);
    }

    private static Query byId(String id) {
        return Query.query(Criteria.where("_id").is(id));
    }
}
