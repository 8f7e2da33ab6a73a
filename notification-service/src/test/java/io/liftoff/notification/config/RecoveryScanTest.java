package io.liftoff.notification.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RecoveryScanTest {

    @Test
    void withASharedStoreEveryTickScans() {
        RecoveryScan scan = new RecoveryScan(true, Duration.ofSeconds(2));

        assertThat(scan.due()).isTrue();
        assertThat(scan.due()).isTrue();
        assertThat(scan.due()).isTrue();
    }

    @Test
    void withTheEmbeddedStoreTheFirstTickScansAndThenOnlyATickAfterARequest() {
        RecoveryScan scan = new RecoveryScan(false, Duration.ofSeconds(2));

        assertThat(scan.due()).as("at start: work left by an earlier run").isTrue();
        assertThat(scan.due()).isFalse();
        assertThat(scan.due()).isFalse();

        scan.request();

        assertThat(scan.due()).isTrue();
        assertThat(scan.due()).isFalse();
    }

    @Test
    void withTheEmbeddedStoreAScanStillRunsAfterThirtyQuietTicks() throws InterruptedException {
        RecoveryScan scan = new RecoveryScan(false, Duration.ofMillis(2));
        assertThat(scan.due()).isTrue();
        assertThat(scan.due()).isFalse();

        Thread.sleep(2 * RecoveryScan.SAFETY_FACTOR + 20);

        assertThat(scan.due()).as("the safety net").isTrue();
        assertThat(scan.due()).isFalse();
    }
}
