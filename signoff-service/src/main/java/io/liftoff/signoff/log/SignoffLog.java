package io.liftoff.signoff.log;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.Binary;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * The append-only Merkle log in the store, without transactions and without ever rewriting a stored entry.
 * <ul>
 * <li>{@code log_state} holds one document, {@code {_id: "tree", size: n}}: the committed tree size.</li>
 * <li>{@code log_entries}: one document per entry, {@code _id} = its index (unique by construction), a unique index on
 * {@code signoffId} so a statement is logged once.</li>
 * <li>{@code log_nodes}: the hash of every complete aligned subtree of level 1 and up, written once when its last leaf
 * arrives; proofs read O(log n) of them in one {@code $in} query.</li>
 * </ul>
 * Appending entry {@code n}: insert it at {@code _id = n} only while the committed size is {@code n}; write the subtree
 * hashes it completes; then advance the size {@code n → n+1} with a compare-and-set. Two appenders racing for the same
 * index collide on {@code _id} and the loser retries at the next index. A crash after the insert leaves entry
 * {@code n} uncommitted but present: the next appender finds it, finishes its subtree hashes (deterministic, so a
 * repeated write is harmless) and advances the size before taking {@code n+1}. The log therefore never has a hole, and
 * nothing in this class updates or deletes an entry.
 */
@Component
public class SignoffLog {

    public static final String ENTRIES = "log_entries";
    public static final String NODES = "log_nodes";
    public static final String STATE = "log_state";
    private static final String TREE = "tree";

    /** Attempts of one append at one committed size before it fails (each lost attempt moves the size). */
    static final int MAX_APPEND_ATTEMPTS = 10_000;

    /** Subtree hashes kept in memory for proofs; bounded by entries (about 110 bytes each). */
    static final int NODE_CACHE_ENTRIES = 32_768;

    private final MongoTemplate mongo;
    /**
     * Stored subtree hashes never change once written, and every proof reads the upper levels of the tree, so proofs
     * keep the hashes they read; the frequency-based eviction keeps the upper levels, which all proofs share. Only
     * proofs read through it: the auditor compares the store itself with recomputed hashes.
     */
    private final Cache<Long, byte[]> nodeCache = Caffeine.newBuilder().maximumSize(NODE_CACHE_ENTRIES).build();

    public SignoffLog(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    private MongoCollection<Document> entries() {
        return mongo.getCollection(ENTRIES);
    }

    private MongoCollection<Document> nodes() {
        return mongo.getCollection(NODES);
    }

    private MongoCollection<Document> state() {
        return mongo.getCollection(STATE);
    }

    public long size() {
        Document tree = state().find(Filters.eq("_id", TREE)).first();
        if (tree == null) {
            state().findOneAndUpdate(Filters.eq("_id", TREE), Updates.setOnInsert("size", 0L),
                    new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
            return 0;
        }
        return ((Number) tree.get("size")).longValue();
    }

    /** Appends the entry (its {@code index} is ignored) and returns the index it got; idempotent per signoffId. */
    public long append(LogEntryRecord entry) {
        long lastSize = -1;
        for (int attempt = 1;; attempt++) {
            long size = size();
            if (size != lastSize) {
                lastSize = size;
                attempt = 1;
            }
            else if (attempt > MAX_APPEND_ATTEMPTS) {
                // An attempt is lost only to an append that moved the size; this many at one size means the stored
                // state and the entries disagree (a damaged store): fail with a message instead of spinning.
                throw new IllegalStateException("The sign-off log did not accept an entry after "
                        + MAX_APPEND_ATTEMPTS + " attempts at committed size " + size + "; the stored log may be "
                        + "damaged: GET /api/log/checkpoint?verify=true names the entries that fail");
            }
            Document pending = entries().find(Filters.eq("_id", size)).projection(Projections.include("_id"))
                    .first();
            if (pending != null) {
                commit(size);
                continue;
            }
            Document logged = entries().find(Filters.eq("signoffId", entry.signoffId()))
                    .projection(Projections.include("_id")).first();
            if (logged != null) {
                long index = ((Number) logged.get("_id")).longValue();
                if (index >= size) {
                    commit(size);
                    continue;
                }
                return index;
            }
            try {
                entries().insertOne(toDocument(entry, size));
            }
            catch (MongoWriteException ex) {
                if (ex.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                    continue;
                }
                throw ex;
            }
            commit(size);
            return size;
        }
    }

    /** Finishes entry {@code index} (present, not yet counted): its subtree hashes, then size index → index+1. */
    private void commit(long index) {
        byte[] hash = leafHashes(Set.of(index)).get(index);
        if (hash == null) {
            // Only a damaged store gets here (an entry beyond the committed size with none at it): advancing the size
            // would leave a hole in the log.
            throw new IllegalStateException("The sign-off log has no entry " + index + " at its committed size but "
                    + "has later ones; the stored log is damaged and nothing more is appended");
        }
        for (MerkleTree.NodeId node : MerkleTree.completedBy(index)) {
            byte[] left = node(node.level() - 1, node.index() * 2);
            hash = MerkleTree.nodeHash(left, hash);
            try {
                nodes().insertOne(new Document("_id", nodeId(node.level(), node.index())).append("h", new Binary(hash)));
            }
            catch (MongoWriteException ex) {
                // Written by an appender that finished this entry before us: the same deterministic hash.
                if (ex.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw ex;
                }
            }
        }
        state().updateOne(Filters.and(Filters.eq("_id", TREE), Filters.eq("size", index)),
                Updates.set("size", index + 1));
    }

    private byte[] node(int level, long index) {
        if (level == 0) {
            return leafHashes(Set.of(index)).get(index);
        }
        byte[] cached = nodeCache.getIfPresent(nodeId(level, index));
        if (cached != null) {
            return cached;
        }
        Document node = nodes().find(Filters.eq("_id", nodeId(level, index))).first();
        if (node == null) {
            throw new IllegalStateException("Missing log node " + level + "/" + index);
        }
        byte[] hash = node.get("h", Binary.class).getData();
        nodeCache.put(nodeId(level, index), hash);
        return hash;
    }

    /** A {@link MerkleTree.NodeSource} over exactly the given nodes, fetched in (at most) two queries. */
    public MerkleTree.NodeSource fetch(Set<MerkleTree.NodeId> ids) {
        List<Long> leaves = new ArrayList<>();
        List<Long> inner = new ArrayList<>();
        for (MerkleTree.NodeId id : ids) {
            if (id.level() == 0) {
                leaves.add(id.index());
            }
            else {
                inner.add(nodeId(id.level(), id.index()));
            }
        }
        Map<Long, byte[]> leafHashes = leaves.isEmpty() ? Map.of() : leafHashes(leaves);
        Map<Long, byte[]> innerHashes = new HashMap<>(nodeCache.getAllPresent(inner));
        if (innerHashes.size() < inner.size()) {
            List<Long> missing = inner.stream().filter(id -> !innerHashes.containsKey(id)).toList();
            for (Document node : nodes().find(Filters.in("_id", missing))) {
                long id = ((Number) node.get("_id")).longValue();
                byte[] hash = node.get("h", Binary.class).getData();
                innerHashes.put(id, hash);
                nodeCache.put(id, hash);
            }
        }
        return (level, index) -> {
            byte[] hash = level == 0 ? leafHashes.get(index) : innerHashes.get(nodeId(level, index));
            if (hash == null) {
                throw new IllegalStateException("Missing log node " + level + "/" + index);
            }
            return hash;
        };
    }

    private Map<Long, byte[]> leafHashes(java.util.Collection<Long> indexes) {
        Map<Long, byte[]> result = new HashMap<>();
        for (Document entry : entries().find(Filters.in("_id", indexes))
                .projection(Projections.include("_id", "leafHash"))) {
            result.put(((Number) entry.get("_id")).longValue(), entry.get("leafHash", Binary.class).getData());
        }
        return result;
    }

    public byte[] rootHash(long treeSize) {
        return MerkleTree.rootHash(treeSize, fetch(MerkleTree.requiredForRoot(treeSize)));
    }

    public List<byte[]> inclusionProof(long index, long treeSize) {
        return MerkleTree.inclusionProof(index, treeSize, fetch(MerkleTree.requiredForInclusion(index, treeSize)));
    }

    public List<byte[]> consistencyProof(long first, long second) {
        return MerkleTree.consistencyProof(first, second, fetch(MerkleTree.requiredForConsistency(first, second)));
    }

    public LogEntryRecord entry(long index) {
        Document document = entries().find(Filters.eq("_id", index)).first();
        return document == null ? null : fromDocument(document);
    }

    /** Entries by index, in the order asked; missing indexes are skipped. */
    public List<LogEntryRecord> entries(List<Long> indexes) {
        Map<Long, LogEntryRecord> found = new HashMap<>();
        for (Document document : entries().find(Filters.in("_id", indexes))) {
            LogEntryRecord record = fromDocument(document);
            found.put(record.index(), record);
        }
        List<LogEntryRecord> result = new ArrayList<>();
        for (Long index : indexes) {
            if (found.containsKey(index)) {
                result.add(found.get(index));
            }
        }
        return result;
    }

    /** The stored hashes of complete subtrees of level 1 and up, by {@link #nodeId}. */
    public Map<Long, byte[]> storedNodes(List<MerkleTree.NodeId> ids) {
        Map<Long, byte[]> result = new HashMap<>();
        List<Long> keys = ids.stream().map(id -> nodeId(id.level(), id.index())).toList();
        for (Document node : nodes().find(Filters.in("_id", keys))) {
            result.put(((Number) node.get("_id")).longValue(), node.get("h", Binary.class).getData());
        }
        return result;
    }

    /** Node ids: level in the top 8 bits of a long, index below (2^55 leaves is more than this log will hold). */
    public static long nodeId(int level, long index) {
        return ((long) level << 55) | index;
    }

    static Document toDocument(LogEntryRecord entry, long index) {
        Document document = new Document("_id", index).append("leaf", new Binary(entry.leaf()))
                .append("leafHash", new Binary(entry.leafHash())).append("signoffId", entry.signoffId())
                .append("type", entry.type()).append("releaseId", entry.releaseId())
                .append("product", entry.product()).append("phase", entry.phase()).append("role", entry.role())
                .append("decision", entry.decision()).append("signer", entry.signer())
                .append("signerName", entry.signerName()).append("checklistVersion", entry.checklistVersion())
                .append("digest", entry.digest()).append("signedAt", Date.from(entry.signedAt()))
                .append("acr", entry.acr())
                .append("authTime", entry.authTime() == null ? null : Date.from(entry.authTime()));
        if (entry.revokes() != null) {
            document.append("revokes", entry.revokes());
        }
        return document;
    }

    static LogEntryRecord fromDocument(Document d) {
        return new LogEntryRecord(((Number) d.get("_id")).longValue(), d.get("leaf", Binary.class).getData(),
                d.get("leafHash", Binary.class).getData(), d.getString("signoffId"), d.getString("type"),
                d.getString("releaseId"), d.getString("product"), d.getString("phase"), d.getString("role"),
                d.getString("decision"), d.getString("signer"), d.getString("signerName"),
                d.get("checklistVersion") == null ? 0 : ((Number) d.get("checklistVersion")).longValue(),
                d.getString("digest"), d.getDate("signedAt").toInstant(),
                d.get("acr") == null ? 0 : ((Number) d.get("acr")).intValue(),
                d.getDate("authTime") == null ? null : d.getDate("authTime").toInstant(), d.getString("revokes"));
    }
}
