package io.liftoff.monitoring.monitoring;

import java.net.URI;
import java.time.Duration;

import io.liftoff.monitoring.config.MonitoringProperties;

/** The settings unit tests of monitoring run with: check defaults and the service's properties around them. */
final class MonitoringFixtures {

    static final MonitoringProperties.Defaults DEFAULTS = new MonitoringProperties.Defaults(Duration.ofMinutes(1),
            Duration.ZERO, 3, 1, 5, Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofHours(1));

    static final MonitoringProperties PROPERTIES = new MonitoringProperties(URI.create("http://m"),
            Duration.ofSeconds(1), 1, Duration.ofSeconds(30), 1000, Duration.ofHours(6), Duration.ofMinutes(1), 60,
            DEFAULTS, new MonitoringProperties.Prometheus(null, Duration.ofSeconds(1), Duration.ofSeconds(1)),
            new MonitoringProperties.Alertmanager(null));

    private MonitoringFixtures() {
    }
}
