package io.liftoff.notification.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import io.liftoff.notification.config.NotificationProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

public class AddressPolicyTest {

    public static NotificationProperties properties(String... allowed) {
        NotificationProperties.Delivery delivery = new NotificationProperties.Delivery(1, 1, 1, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(10));
        return new NotificationProperties("http://localhost", "x@localhost", Duration.ZERO, Duration.ZERO, delivery,
                new NotificationProperties.Breaker(50, 5, 10, Duration.ofSeconds(1)),
                new NotificationProperties.Escalation(Duration.ofMinutes(5), Duration.ofSeconds(1),
                        Duration.ofSeconds(30), List.of()),
                new NotificationProperties.Addresses(List.of(allowed)));
    }

    private static AddressPolicy policy(String... allowed) {
        return new AddressPolicy(properties(allowed));
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1/x", "http://localhost/x", "http://10.1.2.3/x", "http://172.31.255.1/",
            "http://192.168.0.1/", "http://169.254.169.254/latest", "http://[::1]/", "http://[fe80::1]/",
            "http://[fc00::5]/", "http://[::ffff:192.168.0.1]/", "http://0.0.0.0/", "http://100.100.0.1/",
            "http://224.0.0.1/", "http://2130706433/", "http://0x7f000001/" })
    void privateLoopbackLinkLocalAndMetadataAddressesAreRefused(String url) {
        assertThat(policy().refusal(url)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "ftp://example.com/", "javascript:alert(1)", "file:///etc/passwd", "//example.com/x",
            "http:///nohost", "https://user:pw@8.8.8.8/" })
    void onlyHttpAndHttpsWithAHostAndNoCredentialsAreAccepted(String url) {
        assertThat(policy().refusal(url)).isNotNull();
    }

    @Test
    void publicAddressesAreAccepted() {
        assertThat(policy().refusal("https://8.8.8.8/hook")).isNull();
        assertThat(policy().refusal("http://[2001:4860:4860::8888]/hook")).isNull();
    }

    @Test
    void theAllowListLetsNamedHostsAndRangesThrough() {
        AddressPolicy policy = policy("localhost", "10.20.0.0/16");

        assertThat(policy.refusal("http://localhost:9000/demo")).isNull();
        assertThat(policy.refusal("http://10.20.3.4/demo")).isNull();
        assertThat(policy.refusal("http://10.21.3.4/demo")).contains("private");
        assertThat(policy.refusal("http://127.0.0.1/demo")).contains("loopback");
    }

    @Test
    void anEntryWithAPortLetsThroughThatPortOnly() {
        AddressPolicy policy = policy("127.0.0.1:8085", "localhost:8085", "[::1]:8085");

        assertThat(policy.refusal("http://127.0.0.1:8085/hooks/demo")).isNull();
        assertThat(policy.refusal("http://localhost:8085/hooks/demo")).isNull();
        assertThat(policy.refusal("http://[::1]:8085/hooks/demo")).isNull();
        // The services beside the demo receiver stay out of reach.
        assertThat(policy.refusal("http://127.0.0.1:8084/actuator/env")).contains("loopback");
        assertThat(policy.refusal("http://localhost:8081/api/releases")).contains("loopback");
        assertThat(policy.refusal("http://127.0.0.1/hooks/demo")).contains("loopback");
        assertThat(policy.refusal("https://127.0.0.1/hooks/demo")).contains("loopback");
        assertThat(policy.refusal("http://[::1]:8084/")).contains("loopback");
    }

    @Test
    void aPortlessUrlIsCheckedAgainstItsSchemesDefaultPort() {
        assertThat(policy("10.0.0.7:443").refusal("https://10.0.0.7/hook")).isNull();
        assertThat(policy("10.0.0.7:443").refusal("http://10.0.0.7/hook")).contains("private");
        assertThat(policy("10.0.0.7:80").refusal("http://10.0.0.7/hook")).isNull();
    }

    @Test
    void anIpv6EntryWithoutAPortIsAnAddressNotAHostAndPort() {
        AddressPolicy policy = policy("::1", "fd00::/8");

        assertThat(policy.refusal("http://[::1]:9000/")).isNull();
        assertThat(policy.refusal("http://[fd12::5]/")).isNull();
        assertThat(policy.refusal("http://[fc00::5]/")).contains("unique-local");
    }

    @Test
    void anEntryWhosePortIsNotANumberStopsTheServiceWithItsName() {
        assertThatThrownBy(() -> policy("localhost:http"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'localhost:http'");
    }
}
