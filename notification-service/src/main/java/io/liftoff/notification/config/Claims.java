package io.liftoff.notification.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

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
 * <p>
 * A document this process is about to insert can be claimed before it exists ({@link #hold}): nothing else in this
 * process claims it meanwhile, and for a shared store the caller writes its lease into the document it inserts, so
 * the worker that gets it next needs no claim round trip at all.
 */
@Component
public class Claims {

    private final MongoTemplate mongo;
    private final boolean singleProcess;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final ByIdWrites byId;

    public Claims(MongoTemplate mongo, ObjectProvider<MongoServer> embeddedServer) {
        this.mongo = mongo;
        this.singleProcess = embeddedServer.getIfAvailable() != null;
        this.byId = new ByIdWrites(mongo);
    }

    /**
     * @param conditions the claim's conditions as a query (for a shared store), without the id
     * @param check      the same conditions on the document (for the embedded store)
     * @param lease      the update that writes the lease (a shared store only)
     * @return the claimed document as updated, or null when it is not claimable (or claimed in this process)
     */
    public <T> T claim(Class<T> type, String id, Criteria conditions, Predicate<T> check, Update lease) {
        String key = key(type, id);
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

    /** True when the embedded store is this process's own (no other replica can claim anything). */
    public boolean singleProcess() {
        return singleProcess;
    }

    /**
     * Holds a document this process is about to insert (or has just inserted), in this process only; false when it is
     * held already. With a shared store the caller writes the lease into the document before inserting it.
     */
    public boolean hold(Class<?> type, String id) {
        return held.add(key(type, id));
    }

    /**
     * Claims several documents: on the embedded store one query reads them all ({@code _id} in the ids is served by
     * its {@code _id} index); on a shared store each is claimed with its own conditional update.
     *
     * @return the documents claimed, in no particular order
     */
    public <T> List<T> claimAll(Class<T> type, Collection<String> ids, Function<T, String> idOf, Criteria conditions,
            Predicate<T> check, Update lease) {
        List<T> claimed = new ArrayList<>();
        if (!singleProcess) {
            for (String id : ids) {
                T document = claim(type, id, conditions, check, lease);
                if (document != null) {
                    claimed.add(document);
                }
            }
            return claimed;
        }
        Set<String> holding = new java.util.LinkedHashSet<>();
        for (String id : ids) {
            if (held.add(key(type, id))) {
                holding.add(id);
            }
        }
        if (holding.isEmpty()) {
            return claimed;
        }
        boolean read = false;
        try {
            for (T document : mongo.find(Query.query(Criteria.where("_id").in(holding)), type)) {
                if (check.test(document) && holding.remove(idOf.apply(document))) {
                    claimed.add(document);
                }
            }
            read = true;
        }
        finally {
            holding.forEach(id -> held.remove(key(type, id)));
            if (!read) {
                claimed.forEach(document -> held.remove(key(type, idOf.apply(document))));
            }
        }
        return claimed;
    }

    /**
     * Writes to several documents this worker claimed, in one round trip (updates by id; on a shared store each
     * also requires the lease to be still this worker's, and a lost one is simply not written).
     *
     * @return how many documents were written (fewer than the updates when a document is gone or a lease was lost)
     */
    public long updateAll(Class<?> type, java.util.Map<String, Update> updates, String ownerField, String owner) {
        if (updates.isEmpty()) {
            return 0;
        }
        List<ByIdWrites.Write> writes = new ArrayList<>(updates.size());
        updates.forEach((id, update) -> writes.add(new ByIdWrites.Write(id, update)));
        return byId.write(type, writes, singleProcess ? null : ownerField, owner);
    }

    /** Ends this process's hold on a claimed document (after its last write). */
    public void release(Class<?> type, String id) {
        held.remove(key(type, id));
    }

    private static String key(Class<?> type, String id) {
        return type.getSimpleName() + ":" + id;
    }
}
