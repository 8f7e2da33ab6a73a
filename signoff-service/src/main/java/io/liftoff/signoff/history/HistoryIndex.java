package io.liftoff.signoff.history;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.LongStream;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.liftoff.signoff.log.LogEntryRecord;
import io.liftoff.signoff.log.SignoffLog;
import org.bson.Document;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Posting lists over the log for the history filters that name one value (signer, role, decision, product), so a page
 * for a rare value reads the entries that match instead of scanning the log backwards. The embedded store serves
 * lookups by {@code _id} only, so the lists are documents addressed by {@code _id} in {@code log_postings}:
 * <ul>
 * <li>a bucket, {@code b|<field>|<value>|<bucket>}: a bitmap ({@code bits}, at most 128 bytes) of the entries with that
 * value among entries {@code bucket * 1024 … bucket * 1024 + 1023};</li>
 * <li>a directory, {@code d|<field>|<value>}: a bitmap of the buckets that value has entries in.</li>
 * </ul>
 * Bitmaps keep every document small whatever the value's frequency, so a page costs a few small reads. Bits are only
 * ever set (a compare-and-set on the document's {@code v}), so writing an entry's postings twice changes nothing. The
 * lists are derived from the log and never part of what it proves: {@code log_state {_id: "postings", upTo: w}} says
 * entries below {@code w} are indexed, {@link #catchUp()} indexes the rest (after every append and with the recovery
 * pass, so a crash in between or a log written before this index existed is caught up), and a query scans whatever
 * lies above {@code w} instead of trusting the lists there.
 */
@Component
public class HistoryIndex {

    public static final String POSTINGS = "log_postings";
    static final int BUCKET_BITS = 10;
    private static final long BUCKET_MASK = (1L << BUCKET_BITS) - 1;
    private static final String WATERMARK = "postings";
    private static final int CATCH_UP_BATCH = 2048;
    /** Buckets read per query: one at first (a dense list fills a page from it), doubling for sparse lists. */
    private static final int MAX_BUCKETS_PER_READ = 128;
    private static final Logger log = LoggerFactory.getLogger(HistoryIndex.class);

    /** The fields indexed, as named in {@link HistoryQuery.Filter}. */
    public enum Field {
        SIGNER, ROLE, DECISION, PRODUCT;

        String key() {
            return name().toLowerCase();
        }

        /** The values an entry is found under: a signer by subject and by display name. */
        Collection<String> valuesOf(LogEntryRecord e) {
            return switch (this) {
                case SIGNER -> new TreeSet<>(nonNull(e.signer(), e.signerName()));
                case ROLE -> nonNull(e.role());
                case DECISION -> nonNull(e.decision());
                case PRODUCT -> nonNull(e.product());
            };
        }

        private static List<String> nonNull(String... values) {
            List<String> result = new ArrayList<>();
            for (String value : values) {
                if (value != null) {
                    result.add(value);
                }
            }
            return result;
        }
    }

    private final SignoffLog signoffLog;
    private final MongoTemplate mongo;
    private final ReentrantLock catchingUp = new ReentrantLock();

    HistoryIndex(SignoffLog signoffLog, MongoTemplate mongo) {
        this.signoffLog = signoffLog;
        this.mongo = mongo;
    }

    private MongoCollection<Document> postings() {
        return mongo.getCollection(POSTINGS);
    }

    private MongoCollection<Document> state() {
        return mongo.getCollection(SignoffLog.STATE);
    }

    /** Entries below this index have their postings written. */
    public long indexedUpTo() {
        Document mark = state().find(Filters.eq("_id", WATERMARK)).first();
        if (mark == null) {
            mark = state().findOneAndUpdate(Filters.eq("_id", WATERMARK), Updates.setOnInsert("upTo", 0L),
                    new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        }
        return ((Number) mark.get("upTo")).longValue();
    }

    /**
     * Writes the postings of every logged entry not yet indexed. One caller per process at a time (another one
     * returns at once: the running pass covers its entry or the next append does); replicas racing on a shared store
     * write the same postings, and the watermark only moves forward.
     */
    public long catchUp() {
        if (!catchingUp.tryLock()) {
            return 0;
        }
        try {
            long from = indexedUpTo();
            long size = signoffLog.size();
            long indexed = 0;
            while (from < size) {
                long to = Math.min(size, from + CATCH_UP_BATCH);
                index(signoffLog.entries(LongStream.range(from, to).boxed().toList()));
                state().updateOne(Filters.and(Filters.eq("_id", WATERMARK), Filters.lt("upTo", to)),
                        Updates.set("upTo", to));
                indexed += to - from;
                from = to;
            }
            if (indexed > CATCH_UP_BATCH) {
                log.info("Indexed {} log entries for history queries", indexed);
            }
            return indexed;
        }
        finally {
            catchingUp.unlock();
        }
    }

    /** Writes the postings of these entries (idempotent: bits are only ever set). */
    public void index(List<LogEntryRecord> entries) {
        Map<String, BitSet> required = new LinkedHashMap<>();
        for (LogEntryRecord entry : entries) {
            long bucket = entry.index() >> BUCKET_BITS;
            int offset = (int) (entry.index() & BUCKET_MASK);
            for (Field field : Field.values()) {
                for (String value : field.valuesOf(entry)) {
                    required.computeIfAbsent(bucketId(field, bucket, value), k -> new BitSet()).set(offset);
                    required.computeIfAbsent(directoryId(field, value), k -> new BitSet()).set(Math.toIntExact(bucket));
                }
            }
        }
        setBits(required);
    }

    /**
     * Makes every document hold at least the bits asked, by compare-and-set on its {@code v}: read them all in one
     * query, write (in one bulk) only those missing bits, and read again what another writer changed in between.
     */
    private void setBits(Map<String, BitSet> required) {
        Map<String, BitSet> missing = new LinkedHashMap<>(required);
        for (int attempt = 0; !missing.isEmpty(); attempt++) {
            if (attempt == 100) {
                throw new IllegalStateException("History postings kept changing under " + missing.size()
                        + " writes; giving up this pass (the next catch-up retries)");
            }
            Map<String, Document> stored = new HashMap<>();
            for (Document document : postings().find(Filters.in("_id", missing.keySet()))) {
                stored.put(document.getString("_id"), document);
            }
            List<WriteModel<Document>> writes = new ArrayList<>();
            for (Map.Entry<String, BitSet> wanted : missing.entrySet()) {
                Document document = stored.get(wanted.getKey());
                BitSet bits = document == null ? new BitSet() : bitsOf(document);
                BitSet merged = (BitSet) bits.clone();
                merged.or(wanted.getValue());
                if (merged.equals(bits)) {
                    continue;
                }
                Binary value = new Binary(merged.toByteArray());
                if (document == null) {
                    writes.add(new InsertOneModel<>(new Document("_id", wanted.getKey()).append("bits", value)
                            .append("v", 1L)));
                }
                else {
                    long version = ((Number) document.get("v")).longValue();
                    writes.add(new UpdateOneModel<>(Filters.and(Filters.eq("_id", wanted.getKey()),
                            Filters.eq("v", version)), Updates.combine(Updates.set("bits", value),
                                    Updates.set("v", version + 1))));
                }
            }
            if (writes.isEmpty()) {
                return;
            }
            try {
                BulkWriteResult result = postings().bulkWrite(writes, new BulkWriteOptions().ordered(false));
                if (result.getInsertedCount() + result.getModifiedCount() == writes.size()) {
                    return;
                }
            }
            catch (MongoBulkWriteException ex) {
                // Another writer inserted one of these first: read again and merge.
            }
        }
    }

    private static BitSet bitsOf(Document document) {
        Binary bits = document.get("bits", Binary.class);
        return bits == null ? new BitSet() : BitSet.valueOf(bits.getData());
    }

    private List<Long> buckets(Field field, String value) {
        Document directory = postings().find(Filters.eq("_id", directoryId(field, value))).first();
        if (directory == null) {
            return List.of();
        }
        BitSet bits = bitsOf(directory);
        List<Long> numbers = new ArrayList<>(bits.cardinality());
        for (int b = bits.length() - 1; b >= 0; b = bits.previousSetBit(b - 1)) {
            numbers.add((long) b);
        }
        return numbers;
    }

    /**
     * The indexes of entries in {@code [lower, upper)} that have one of these values, newest first, read lazily
     * bucket by bucket. Only trustworthy below {@link #indexedUpTo()}.
     */
    public Iterator<Long> indexes(Field field, Collection<String> values, long lower, long upper) {
        if (values.size() == 1) {
            return new Postings(field, values.iterator().next(), lower, upper);
        }
        List<Iterator<Long>> lists = new ArrayList<>();
        for (String value : values) {
            lists.add(new Postings(field, value, lower, upper));
        }
        return new Merged(lists);
    }

    /**
     * The indexes in {@code [lower, upper)} present in every one of these lists (each: a field and the values any of
     * which it accepts), newest first. The list estimated shortest drives; a batch of its indexes is checked against
     * each other list by reading, in one query, only the buckets of that list the batch falls in.
     */
    public Iterator<Long> intersection(Map<Field, ? extends Collection<String>> lists, long lower, long upper) {
        Field driver = null;
        long fewest = Long.MAX_VALUE;
        for (Map.Entry<Field, ? extends Collection<String>> list : lists.entrySet()) {
            long estimate = lists.size() == 1 ? 0
                    : list.getValue().stream().mapToLong(value -> estimate(list.getKey(), value)).sum();
            if (estimate < fewest) {
                fewest = estimate;
                driver = list.getKey();
            }
        }
        Iterator<Long> driving = indexes(driver, lists.get(driver), lower, upper);
        if (lists.size() == 1) {
            return driving;
        }
        Map<Field, Collection<String>> probes = new EnumMap<>(Field.class);
        for (Map.Entry<Field, ? extends Collection<String>> list : lists.entrySet()) {
            if (list.getKey() != driver) {
                probes.put(list.getKey(), list.getValue());
            }
        }
        return new Probed(driving, probes);
    }

    /**
     * About how many entries have this value: its buckets times the size of its newest bucket (one or two reads). A
     * value in every bucket may still be rare within each, so the count of buckets alone does not rank lists.
     */
    long estimate(Field field, String value) {
        List<Long> buckets = buckets(field, value);
        if (buckets.isEmpty()) {
            return 0;
        }
        Document newest = postings().find(Filters.eq("_id", bucketId(field, buckets.get(0), value))).first();
        return (long) buckets.size() * (newest == null ? 1 : Math.max(1, bitsOf(newest).cardinality()));
    }

    /**
     * The value before the bucket number, which is zero-padded: a value's buckets sit next to each other in
     * {@code _id} order, so the store reads a sparse list from a few pages instead of one page per bucket shared with
     * the big buckets of frequent values. (Unambiguous: the number is the digits after the last {@code |}.)
     */
    static String bucketId(Field field, long bucket, String value) {
        String number = Long.toString(bucket);
        return "b|" + field.key() + "|" + value + "|" + "0".repeat(Math.max(0, 13 - number.length())) + number;
    }

    static long bucketOf(String bucketId) {
        return Long.parseLong(bucketId.substring(bucketId.lastIndexOf('|') + 1));
    }

    static String directoryId(Field field, String value) {
        return "d|" + field.key() + "|" + value;
    }

    /** One value's list, newest first. */
    private final class Postings extends Batched<Long> {

        private final Field field;
        private final String value;
        private final long lower;
        private final long upper;
        private final Iterator<Long> pendingBuckets;
        private int bucketsPerRead = 1;

        Postings(Field field, String value, long lower, long upper) {
            this.field = field;
            this.value = value;
            this.lower = lower;
            this.upper = upper;
            this.pendingBuckets = buckets(field, value).stream()
                    .filter(b -> (b << BUCKET_BITS) < upper && ((b + 1) << BUCKET_BITS) > lower).iterator();
        }

        @Override
        protected boolean fill(List<Long> into) {
            if (!pendingBuckets.hasNext()) {
                return false;
            }
            List<String> ids = new ArrayList<>();
            while (ids.size() < bucketsPerRead && pendingBuckets.hasNext()) {
                ids.add(bucketId(field, pendingBuckets.next(), value));
            }
            bucketsPerRead = Math.min(MAX_BUCKETS_PER_READ, bucketsPerRead * 2);
            for (Document bucket : postings().find(Filters.in("_id", ids))) {
                long first = bucketOf(bucket.getString("_id")) << BUCKET_BITS;
                BitSet bits = bitsOf(bucket);
                for (int b = bits.nextSetBit(0); b >= 0; b = bits.nextSetBit(b + 1)) {
                    long i = first + b;
                    if (i >= lower && i < upper) {
                        into.add(i);
                    }
                }
            }
            into.sort(Comparator.reverseOrder());
            return true;
        }
    }

    /** Several lists merged newest first (an entry has one product, so no index appears twice). */
    private static final class Merged implements Iterator<Long> {

        private final PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingLong(Head::index)
                .reversed());

        private record Head(long index, Iterator<Long> rest) {
        }

        Merged(List<Iterator<Long>> lists) {
            lists.forEach(this::advance);
        }

        private void advance(Iterator<Long> list) {
            if (list.hasNext()) {
                heads.add(new Head(list.next(), list));
            }
        }

        @Override
        public boolean hasNext() {
            return !heads.isEmpty();
        }

        @Override
        public Long next() {
            Head head = heads.poll();
            if (head == null) {
                throw new NoSuchElementException();
            }
            advance(head.rest());
            return head.index();
        }
    }

    /** The driving list's indexes that every other list holds, checked a batch at a time. */
    private final class Probed extends Batched<Long> {

        private final Iterator<Long> driving;
        private final Map<Field, Collection<String>> probes;
        private int batch = 64;

        Probed(Iterator<Long> driving, Map<Field, Collection<String>> probes) {
            this.driving = driving;
            this.probes = probes;
        }

        @Override
        protected boolean fill(List<Long> into) {
            if (!driving.hasNext()) {
                return false;
            }
            while (into.size() < batch && driving.hasNext()) {
                into.add(driving.next());
            }
            batch = Math.min(1024, batch * 2);
            for (Map.Entry<Field, Collection<String>> probe : probes.entrySet()) {
                Map<Long, BitSet> held = held(probe.getKey(), probe.getValue(), into);
                into.removeIf(index -> {
                    BitSet bits = held.get(index >> BUCKET_BITS);
                    return bits == null || !bits.get((int) (index & BUCKET_MASK));
                });
            }
            return true;
        }

        /** The list's bitmaps of the buckets these indexes fall in (one query; several values' bitmaps OR-ed). */
        private Map<Long, BitSet> held(Field field, Collection<String> values, List<Long> indexes) {
            Set<String> ids = new HashSet<>();
            for (long index : indexes) {
                for (String value : values) {
                    ids.add(bucketId(field, index >> BUCKET_BITS, value));
                }
            }
            Map<Long, BitSet> held = new HashMap<>();
            if (ids.isEmpty()) {
                return held;
            }
            for (Document bucket : postings().find(Filters.in("_id", ids))) {
                held.computeIfAbsent(bucketOf(bucket.getString("_id")), b -> new BitSet()).or(bitsOf(bucket));
            }
            return held;
        }
    }
}
