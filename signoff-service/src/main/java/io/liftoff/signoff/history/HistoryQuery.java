package io.liftoff.signoff.history;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.LongStream;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.signoff.log.LogEntryRecord;
import io.liftoff.signoff.log.SignoffLog;
import io.liftoff.signoff.signoff.ReleaseSignoffs;
import io.liftoff.signoff.signoff.SignoffRecord;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * The history of sign-offs and revocations, read from the log itself (every one is an entry), newest first. The log
 * index is the order and the cursor: a page reads entries by {@code _id} (the one index the embedded store uses for
 * lookups), so its cost does not grow with the log. A release filter reads that release's entry indexes from its
 * sign-off document; a time range is narrowed to an index range by binary search on {@code signedAt} (O(log n) reads;
 * entries are appended in signing order); a signer, role, decision or product filter (and a caller who reads only some
 * products) reads the posting list of {@link HistoryIndex}, so a page for a rare value does not scan the log.
 */
@Component
public class HistoryQuery {

    /** Entries read per query: enough for a page and its next-cursor check at first, doubling when few match. */
    private static final int FIRST_BATCH = 64;
    private static final int MAX_BATCH = 1024;

    private final SignoffLog log;
    private final HistoryIndex index;
    private final MongoTemplate mongo;

    HistoryQuery(SignoffLog log, HistoryIndex index, MongoTemplate mongo) {
        this.log = log;
        this.index = index;
        this.mongo = mongo;
    }

    public record Filter(String releaseId, String product, String signer, String role, String decision, Instant from,
            Instant to) {
    }

    public record Page(List<LogEntryRecord> items, String nextCursor) {
    }

    public Page page(CurrentUser user, Filter filter, String cursor, int limit) {
        Iterator<LogEntryRecord> matches = iterate(user, filter, decodeCursor(cursor));
        List<LogEntryRecord> items = new ArrayList<>();
        while (items.size() < limit && matches.hasNext()) {
            items.add(matches.next());
        }
        String next = matches.hasNext() && !items.isEmpty() ? encodeCursor(items.get(items.size() - 1).index())
                : null;
        return new Page(items, next);
    }

    /** Every match, newest first, read lazily in batches (for the streamed exports). */
    public Iterator<LogEntryRecord> iterate(CurrentUser user, Filter filter, Long before) {
        Predicate<LogEntryRecord> matches = predicate(user, filter);
        if (filter.releaseId() != null) {
            ReleaseSignoffs signoffs = mongo.findById(filter.releaseId(), ReleaseSignoffs.class);
            List<Long> indexes = signoffs == null ? List.of()
                    : signoffs.getEntries().stream().map(SignoffRecord::logIndex).filter(i -> i != null)
                            .filter(i -> before == null || i < before).sorted(Comparator.reverseOrder()).toList();
            return log.entries(indexes).stream().filter(matches).iterator();
        }
        long size = log.size();
        long upper = before == null ? size : Math.min(before, size);
        long lower = 0;
        if (filter.to() != null) {
            upper = Math.min(upper, firstAtOrAfter(filter.to(), size));
        }
        if (filter.from() != null) {
            lower = firstAtOrAfter(filter.from(), size);
        }
        return new Matching(candidates(user, filter, lower, upper), matches);
    }

    /**
     * The indexes worth reading, newest first: every index of the range when no filter names a value; otherwise the
     * indexes in the posting lists of every value named (and of the caller's products when they read only some), plus
     * every index above what the lists cover yet. The predicate still decides on each entry read.
     */
    private Iterator<Long> candidates(CurrentUser user, Filter f, long lower, long upper) {
        Map<HistoryIndex.Field, Set<String>> named = new EnumMap<>(HistoryIndex.Field.class);
        if (f.signer() != null) {
            named.put(HistoryIndex.Field.SIGNER, Set.of(f.signer()));
        }
        if (f.role() != null) {
            named.put(HistoryIndex.Field.ROLE, Set.of(f.role()));
        }
        if (f.decision() != null) {
            named.put(HistoryIndex.Field.DECISION, Set.of(f.decision()));
        }
        if (f.product() != null) {
            named.put(HistoryIndex.Field.PRODUCT, Set.of(f.product()));
        }
        else if (!user.readsAllProducts()) {
            named.put(HistoryIndex.Field.PRODUCT, user.products());
        }
        if (named.isEmpty()) {
            return descending(lower, upper);
        }
        long indexed = Math.max(lower, Math.min(upper, index.indexedUpTo()));
        Iterator<Long> unindexed = descending(indexed, upper);
        Iterator<Long> listed = index.intersection(named, lower, indexed);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return unindexed.hasNext() || listed.hasNext();
            }

            @Override
            public Long next() {
                return unindexed.hasNext() ? unindexed.next() : listed.next();
            }
        };
    }

    private static Iterator<Long> descending(long lower, long upper) {
        return LongStream.range(lower, upper).map(i -> upper - 1 - (i - lower)).iterator();
    }

    /** The first index whose signedAt is at or after {@code time} (binary search, O(log n) reads). */
    long firstAtOrAfter(Instant time, long size) {
        long lo = 0;
        long hi = size;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            LogEntryRecord entry = log.entry(mid);
            if (entry != null && entry.signedAt().isBefore(time)) {
                lo = mid + 1;
            }
            else {
                hi = mid;
            }
        }
        return lo;
    }

    private static Predicate<LogEntryRecord> predicate(CurrentUser user, Filter f) {
        return e -> user.canRead(e.product()) && (f.releaseId() == null || f.releaseId().equals(e.releaseId()))
                && (f.product() == null || f.product().equals(e.product()))
                && (f.signer() == null || f.signer().equals(e.signer()) || f.signer().equals(e.signerName()))
                && (f.role() == null || f.role().equals(e.role()))
                && (f.decision() == null || f.decision().equals(e.decision()))
                && (f.from() == null || !e.signedAt().isBefore(f.from()))
                && (f.to() == null || e.signedAt().isBefore(f.to()));
    }

    /** The entries at the candidate indexes that match, read in batches. */
    private final class Matching extends Batched<LogEntryRecord> {

        private final Iterator<Long> candidates;
        private final Predicate<LogEntryRecord> matches;
        private int batch = FIRST_BATCH;

        Matching(Iterator<Long> candidates, Predicate<LogEntryRecord> matches) {
            this.candidates = candidates;
            this.matches = matches;
        }

        @Override
        protected boolean fill(List<LogEntryRecord> into) {
            if (!candidates.hasNext()) {
                return false;
            }
            List<Long> indexes = new ArrayList<>(batch);
            while (indexes.size() < batch && candidates.hasNext()) {
                indexes.add(candidates.next());
            }
            batch = Math.min(MAX_BATCH, batch * 2);
            log.entries(indexes).stream().filter(matches).forEach(into::add);
            return true;
        }
    }

    static String encodeCursor(long index) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("i:" + index).getBytes(StandardCharsets.UTF_8));
    }

    static Long decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("i:")) {
                return Long.parseLong(text.substring(2));
            }
        }
        catch (IllegalArgumentException ex) {
            // falls through to the problem below
        }
        throw ProblemException.badRequest(ProblemTypes.INVALID_PARAMETER, "Invalid parameter",
                "cursor is not a cursor this service issued").with("parameter", "cursor");
    }
}
