package io.liftoff.checklist.markdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.liftoff.checklist.checklist.Checklist;
import io.liftoff.checklist.checklist.Item;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MarkdownBadInputTest {

    private final MarkdownChecklistParser parser = new MarkdownChecklistParser();
    private final MarkdownChecklistExporter exporter = new MarkdownChecklistExporter();

    @Test
    void refusesADocumentWithoutCheckboxAtItsLastLine() {
        assertThatThrownBy(() -> parser.parse("# Notes\n\n- plain list\n**Owner**: me\n"))
                .isInstanceOfSatisfying(ChecklistParseException.class, e -> {
                    assertThat(e.line()).isEqualTo(5);
                    assertThat(e.reason()).startsWith("no checklist found");
                    assertThat(e.getMessage()).startsWith("Line 5: no checklist found");
                });
    }

    @Test
    void refusesAContactsOnlyDocument() {
        assertThatThrownBy(() -> parser.parse("## Emergency Contacts\n- **Lead**: [Name]"))
                .isInstanceOf(ChecklistParseException.class).hasMessageContaining("no checklist found");
    }

    @Test
    void refusesEmptyAndNullText() {
        assertThatThrownBy(() -> parser.parse("")).isInstanceOfSatisfying(ChecklistParseException.class,
                e -> assertThat(e.line()).isEqualTo(1));
        assertThatThrownBy(() -> parser.parse(null)).isInstanceOf(ChecklistParseException.class);
    }

    @Test
    void refusesBinaryTextAtTheLineOfTheFirstNul() {
        assertThatThrownBy(() -> parser.parse("# T\n- [ ] a\nab\0cd\n- [ ] b"))
                .isInstanceOfSatisfying(ChecklistParseException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.reason()).contains("binary");
                });
    }

    @Test
    void refusesMoreItemsThanTheLimitAtTheLineWhereTheLimitIsPassed() {
        String md = generated(10_000);
        assertThatThrownBy(() -> new MarkdownChecklistParser(5000).parse(md))
                .isInstanceOfSatisfying(ChecklistParseException.class, e -> {
                    // items start at line 4: item number 5001 is on line 4 + 5000
                    assertThat(e.line()).isEqualTo(4 + 5000);
                    assertThat(e.reason()).contains("5000");
                });
        assertThatThrownBy(() -> parser.parse(md)).isInstanceOf(ChecklistParseException.class);
    }

    @Test
    void acceptsALargeDocumentWithinAHigherLimit() {
        Checklist checklist = new MarkdownChecklistParser(20_000).parse(generated(10_000));
        assertThat(checklist.items()).hasSize(10_000);
        assertThat(checklist.items().get(9_999).key()).isEqualTo("big/tasks/task-number-9999");
        assertThat(checklist.items()).extracting(Item::id).doesNotHaveDuplicates();
    }

    @Test
    void refusesALimitBelowOne() {
        assertThatThrownBy(() -> new MarkdownChecklistParser(0)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<String> garbage() {
        return Stream.of("- [", "- [ ", "- [ ]", "- [x]", "- []", "-[ ] x", "- [  ] x", "1. [", "1234567890. [ ] x",
                "#", "##", "###### ", "####### - [ ] x", "**", "****: x", "**a**:", "```", "~~~\n- [ ] a",
                "- [ ] " + "<".repeat(10_000), "- [ ] " + "9".repeat(5_000) + "%+", "- [ ] >" + "9".repeat(400),
                "- [ ] " + "1.".repeat(3_000), " ".repeat(100_000) + "- [ ] deep", "\t\t\t\t\t- [ ] tabs",
                "- [ ] \uD800 lone surrogate", "## \uDFFF\n- [ ] \uD83D", "- [ ] \u2028\u2029\u0085 separators",
                "\r\r\r- [ ] cr", "\uFEFF- [ ] bom", "- [ ] " + "**".repeat(1_000),
                "## Emergency Contacts\n### Escalation\n1. **Level 99999999999**: +,+,\n- **Phone**: ()\n- [ ] x",
                "## Contacts\n- :\n- **\n- ** **: -  -  - \n- [ ] x", "## Rollback Triggers\n- [ ] >\n  - [ ] <",
                "## Sign-off\n- [ ] ****\n- [ ] **: x", "- [ ] a\n".repeat(3) + "## " + "x".repeat(5_000));
    }

    @ParameterizedTest
    @MethodSource("garbage")
    void readsGarbageWithoutFailingOtherwiseThanWithAParseException(String text) {
        assertParsesOrRefuses(text);
    }

    @Test
    void readsRandomBytesDecodedAsUtf8WithoutFailingOtherwiseThanWithAParseException() {
        Random random = new Random(42);
        for (int n = 0; n < 500; n++) {
            byte[] bytes = new byte[random.nextInt(2_000)];
            random.nextBytes(bytes);
            assertParsesOrRefuses(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    @Test
    void readsRandomMarkdownFragmentsAndRoundTripsWhatItAccepts() {
        List<String> fragments = List.of("- ", "* ", "1. ", "  ", "\t", "[ ] ", "[x] ", "[!] ", "[", "]", "**",
                "Level 2", ": ", "<", ">=", "≤", "5", "0.1", "ms", "%", "%+", "x normal", " increase", " p95",
                "## ", "### ", "# ", "Rollback Triggers", "Emergency Contacts", "On-Call", "Escalation", "Channels",
                "Sign-off", "(First 2 Hours)", "Slack", "(primary)", " - ", "+", ",", "✅", "📋", "```", "\n",
                "\n", "\n", "\r\n", "&", "é", "Task");
        Random random = new Random(7);
        for (int n = 0; n < 2_000; n++) {
            StringBuilder md = new StringBuilder();
            int length = random.nextInt(80);
            for (int i = 0; i < length; i++) {
                md.append(fragments.get(random.nextInt(fragments.size())));
            }
            assertParsesOrRefuses(md.toString());
        }
    }

    private void assertParsesOrRefuses(String text) {
        Throwable thrown = catchThrowable(() -> {
            Checklist checklist = parser.parse(text);
            Checklist again = parser.parse(exporter.export(checklist));
            assertThat(again.items()).extracting(Item::key)
                    .containsExactlyElementsOf(checklist.items().stream().map(Item::key).toList());
            assertThat(again.lines()).hasSameSizeAs(checklist.lines());
        });
        if (thrown != null && !(thrown instanceof ChecklistParseException)) {
            throw new AssertionError("unexpected failure for input of length " + text.length() + ": "
                    + abbreviate(text), thrown);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    /** A title, a section, a heading, then {@code count} numbered tasks, one per line from line 4. */
    private static String generated(int count) {
        StringBuilder md = new StringBuilder("# Big\n## Big\n### Tasks\n");
        for (int i = 0; i < count; i++) {
            md.append("- [ ] Task number ").append(i).append('\n');
        }
        return md.toString();
    }
}
