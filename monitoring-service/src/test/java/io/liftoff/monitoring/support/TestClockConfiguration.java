package io.liftoff.monitoring.support;

import java.time.Clock;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** The service, its leases and its outbox relay run on the clock the tests move. */
@TestConfiguration(proxyBeanMethods = false)
class TestClockConfiguration {

    @Bean
    Clock clock() {
        return AbstractIntegrationTest.CLOCK;
    }
}
