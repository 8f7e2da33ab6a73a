package io.liftoff.notification.channel;

import static org.assertj.core.api.Assertions.assertThat;

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
}
