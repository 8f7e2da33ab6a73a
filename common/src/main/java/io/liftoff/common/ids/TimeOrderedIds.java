package io.liftoff.common.ids;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Identifiers that sort by creation time: UUID version 7 (RFC 9562), the milliseconds since the epoch in the first 48
 * bits and 74 random bits after them, written as an ordinary UUID string.
 * <p>
 * A store keeps documents in the order of their {@code _id}. With random ids every new document lands on an arbitrary
 * page of the collection and of its {@code _id} index, which the embedded store then reads back from its file (with
 * releases, a page of whole checklist layouts per import); ids that grow with time append new documents to the pages
 * written last, which are in memory. MongoDB's B-trees benefit the same way.
 */
public final class TimeOrderedIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TimeOrderedIds() {
    }

    /** A new id for now. */
    public static String next() {
        return next(Clock.systemUTC());
    }

    /** A new id for the clock's current instant. */
    public static String next(Clock clock) {
        long millis = clock.millis() & 0xFFFF_FFFF_FFFFL;
        long random = RANDOM.nextLong();
        long mostSignificant = (millis << 16) | 0x7000L | (random & 0x0FFFL);
        long leastSignificant = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(mostSignificant, leastSignificant).toString();
    }
}
