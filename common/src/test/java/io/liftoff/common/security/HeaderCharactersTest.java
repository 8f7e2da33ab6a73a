package io.liftoff.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;

/**
 * The predicates must accept exactly what Spring Security's expressions accept (copied here from StrictHttpFirewall,
 * 7.0): every code point on its own, and random strings of every kind of character.
 */
class HeaderCharactersTest {

    private static final Pattern NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCodePointIsJudgedAsByTheExpressions() {
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String one = new String(Character.toChars(codePoint));
            assertThat(HeaderCharacters.NAME.test(one)).as("U+%04X as a name", codePoint)
                    .isEqualTo(NAMES.matcher(one).matches());
            assertThat(HeaderCharacters.VALUE.test(one)).as("U+%04X as a value", codePoint)
                    .isEqualTo(VALUES.matcher(one).matches());
        }
    }

    @Test
    void stringsMixingEveryKindOfCharacterAreJudgedAsByTheExpressions() {
        SplittableRandom random = new SplittableRandom(42);
        char[] kinds = { 'a', ' ', '\t', '\n', '\u007f', '\u00e9', '\u0378', '\ud83d', '\ude00', '\uffff', '\u2028' };
        int refused = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                text.append(random.nextInt(3) == 0 ? kinds[random.nextInt(kinds.length)] : (char) random.nextInt(0x20, 0x7f));
            }
            String value = text.toString();
            assertThat(HeaderCharacters.NAME.test(value)).as("%s as a name", value.codePoints().boxed().toList())
                    .isEqualTo(NAMES.matcher(value).matches());
            assertThat(HeaderCharacters.VALUE.test(value)).as("%s as a value", value.codePoints().boxed().toList())
                    .isEqualTo(VALUES.matcher(value).matches());
            refused += VALUES.matcher(value).matches() ? 0 : 1;
        }
        assertThat(refused).as("the strings include refused ones").isGreaterThan(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = { "Bearer abc\u0000", "a\nb", "\u0378" })
    void theFirewallRefusesAHeaderValueWithAForbiddenCharacter(String value) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/notifications");
        request.addHeader("X-Test", value);

        assertThatThrownBy(() -> HeaderCharacters.firewall().getFirewalledRequest(request).getHeader("X-Test"))
                .isInstanceOf(RequestRejectedException.class);
    }

    @Test
    void theFirewallPassesATabInAValueButNotInAName() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/notifications");
        request.addHeader("X-Test", "a\tb");
        request.addHeader("X\tTest", "a");

        var firewalled = HeaderCharacters.firewall().getFirewalledRequest(request);

        assertThat(firewalled.getHeader("X-Test")).isEqualTo("a\tb");
        assertThatThrownBy(() -> firewalled.getHeader("X\tTest")).isInstanceOf(RequestRejectedException.class);
    }
}
