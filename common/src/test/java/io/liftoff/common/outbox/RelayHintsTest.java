package io.liftoff.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;

/** Hints reach the relay, which is looked up once; without a relay they do nothing. */
class RelayHintsTest {

    @Test
    void hintsReachTheRelayLookedUpOnce() {
        OutboxRelay relay = mock(OutboxRelay.class);
        AtomicInteger lookups = new AtomicInteger();
        RelayHints hints = new RelayHints(provider(relay, lookups));

        hints.wake("release", "r-1");
        hints.wake("release", "r-2");
        hints.wakeAll();

        verify(relay).wake("release", "r-1");
        verify(relay).wake("release", "r-2");
        verify(relay, times(1)).wake();
        assertThat(lookups).hasValue(1);
    }

    @Test
    void withoutARelayHintsDoNothingAndAreNotLookedUpAgain() {
        AtomicInteger lookups = new AtomicInteger();
        RelayHints hints = new RelayHints(provider(null, lookups));

        hints.wake("release", "r-1");
        hints.wakeAll();

        assertThat(lookups).hasValue(1);
    }

    private static ObjectProvider<OutboxRelay> provider(OutboxRelay relay, AtomicInteger lookups) {
        return new ObjectProvider<>() {
            @Override
            public OutboxRelay getObject() {
                return getIfAvailable();
            }

            @Override
            public OutboxRelay getIfAvailable() {
                lookups.incrementAndGet();
                return relay;
            }
        };
    }
}
