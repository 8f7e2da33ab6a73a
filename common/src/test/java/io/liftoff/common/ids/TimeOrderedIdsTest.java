package io.liftoff.common.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void idsAreVersion7UuidsCarryingTheirMillisecond() {
        Instant at = Instant.parse("2026-11-25T13:00:00.123Z");
        UUID id = UUID.fromString(TimeOrderedIds.next(Clock.fixed(at, ZoneOffset.UTC)));

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(at.toEpochMilli());
    }

    @Test
    void laterIdsSortAfterEarlierOnesAsStringsAndNoneRepeats() {
        Set<String> seen = new HashSet<>();
        String previous = null;
        for (int i = 0; i < 1000; i++) {
            String id = TimeOrderedIds.next(Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L + i), ZoneOffset.UTC));
            assertThat(seen.add(id)).isTrue();
            if (previous != null) {
                assertThat(id).isGreaterThan(previous);
            }
            previous = id;
        }
        // Within one millisecond they are still distinct.
        Clock frozen = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(TimeOrderedIds.next(frozen))).isTrue();
        }
    }
}
