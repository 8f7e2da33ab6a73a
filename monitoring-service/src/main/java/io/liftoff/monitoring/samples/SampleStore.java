package io.liftoff.monitoring.samples;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.liftoff.monitoring.monitoring.SampleSource;
import org.bson.Document;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * Samples stored as one document per release, metric and ten seconds ({@code _id = release|metric|bucket}) holding two
 * parallel arrays, times and values (canonical unit). A batch becomes one bulk write with one {@code $push $each}
 * upsert per bucket it touches, so ingestion costs a few single-document updates per request whatever its size; an
 * evaluation reads the buckets of its look-back by {@code _id}, which every store indexes.
 */
@Component
public class SampleStore implements SampleSource {

    static final String COLLECTION = "samples";
    /**
     * Ten seconds: profiling the benchmark showed the embedded store encoding the whole document on every update,
     * so small buckets keep a {@code $push} cheap (one-minute buckets ingested about half as fast); a five-minute
     * look-back is 31 buckets read by {@code _id}.
     */
    private static final long BUCKET_MILLIS = 10_000;

    private final MongoTemplate mongo;

    public SampleStore(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** A converted sample ready to store. */
    public record Point(String metric, long time, double value) {
    }

    public void write(String releaseId, List<Point> points) {
        Map<String, List<Point>> buckets = new LinkedHashMap<>();
        for (Point point : points) {
            buckets.computeIfAbsent(key(releaseId, point.metric(), bucket(point.time())), k -> new ArrayList<>())
                    .add(point);
        }
        List<UpdateOneModel<Document>> updates = new ArrayList<>(buckets.size());
        UpdateOptions upsert = new UpdateOptions().upsert(true);
        for (Map.Entry<String, List<Point>> bucket : buckets.entrySet()) {
            List<Point> inBucket = bucket.getValue();
            List<Long> times = new ArrayList<>(inBucket.size());
            List<Double> values = new ArrayList<>(inBucket.size());
            for (Point point : inBucket) {
                times.add(point.time());
                values.add(point.value());
            }
            Point first = inBucket.get(0);
            updates.add(new UpdateOneModel<>(Filters.eq("_id", bucket.getKey()),
                    Updates.combine(Updates.setOnInsert("release", releaseId),
                            Updates.setOnInsert("metric", first.metric()),
                            Updates.setOnInsert("from", new java.util.Date(bucket(first.time()) * BUCKET_MILLIS)),
                            Updates.pushEach("t", times), Updates.pushEach("v", values)),
                    upsert));
        }
        if (!updates.isEmpty()) {
            collection().bulkWrite(updates, new BulkWriteOptions().ordered(false));
        }
    }

    @Override
    public Series read(String releaseId, String metric, Instant from, Instant to) {
        long start = from.toEpochMilli();
        long end = to.toEpochMilli();
        List<String> keys = new ArrayList<>();
        for (long bucket = bucket(start); bucket <= bucket(end); bucket++) {
            keys.add(key(releaseId, metric, bucket));
        }
        List<long[]> rows = new ArrayList<>();
        for (Document bucket : collection().find(Filters.in("_id", keys))) {
            List<?> times = bucket.getList("t", Object.class, List.of());
            List<?> values = bucket.getList("v", Object.class, List.of());
            for (int i = 0; i < times.size() && i < values.size(); i++) {
                long time = ((Number) times.get(i)).longValue();
                if (time >= start && time <= end) {
                    rows.add(new long[] { time, Double.doubleToRawLongBits(((Number) values.get(i)).doubleValue()) });
                }
            }
        }
        rows.sort((a, b) -> Long.compare(a[0], b[0]));
        long[] t = new long[rows.size()];
        double[] v = new double[rows.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = rows.get(i)[0];
            v[i] = Double.longBitsToDouble(rows.get(i)[1]);
        }
        return new Series(t, v);
    }

    /** Samples stored for a release (all metrics); for tests and operators. */
    public long count(String releaseId) {
        long total = 0;
        for (Document bucket : collection().find(Filters.eq("release", releaseId))) {
            total += bucket.getList("t", Object.class, List.of()).size();
        }
        return total;
    }

    private MongoCollection<Document> collection() {
        return mongo.getCollection(COLLECTION);
    }

    private static long bucket(long millis) {
        return Math.floorDiv(millis, BUCKET_MILLIS);
    }

    private static String key(String releaseId, String metric, long bucket) {
        return releaseId + "|" + metric + "|" + bucket;
    }
}
