package io.liftoff.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SendResultTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({ "200, DELIVERED", "202, DELIVERED", "204, DELIVERED", "301, REFUSED", "307, REFUSED",
            "400, REFUSED", "401, REFUSED", "404, REFUSED", "410, REFUSED", "408, FAILED", "425, FAILED",
            "429, FAILED", "500, FAILED", "502, FAILED", "503, FAILED", "504, FAILED" })
    void anHttpStatusIsDeliveredRetriedOrRefusedForGood(int status, SendResult.Outcome outcome) {
        SendResult result = SendResult.ofHttpStatus(status);

        assertThat(result.outcome()).isEqualTo(outcome);
        assertThat(result.statusCode()).isEqualTo(status);
    }
}
