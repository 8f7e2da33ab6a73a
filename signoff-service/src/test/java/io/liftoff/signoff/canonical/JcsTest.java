package io.liftoff.signoff.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.liftoff.signoff.checklist.ReleaseView;
import org.junit.jupiter.api.Test;

class JcsTest {

    @Test
    void membersAreSortedByUtf16CodeUnitsWithoutWhitespace() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("b", 1);
        value.put("a", List.of(true, false));
        value.put("\u20ac", "Euro");
        value.put("\r", "cr");
        value.put("1", null);
        // RFC 8785 section 3.2.3 orders "\r" < "1" < "a" < "b" < "€" (by UTF-16 code units).
        assertThat(Jcs.canonicalString(value)).isEqualTo("{\"\\r\":\"cr\",\"1\":null,\"a\":[true,false],\"b\":1,"
                + "\"\u20ac\":\"Euro\"}");
    }

    @Test
    void stringsAreEscapedAsEcmaScriptDoes() {
        assertThat(Jcs.canonicalString("\u0001\"\\/\n\u00e9\uD83D\uDE00"))
                .isEqualTo("\"\\u0001\\\"\\\\/\\n\u00e9\uD83D\uDE00\"");
    }

    @Test
    void nonIntegralNumbersAreRefused() {
        assertThatThrownBy(() -> Jcs.canonicalize(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void phaseDigestCoversKeyTextAndStateOfThePhaseItemsButNotSignoffs() {
        ReleaseView.ItemView task = new ReleaseView.ItemView("b/task", "Task", "TASK", "OPEN", "PRE_RELEASE", null,
                null, List.of());
        ReleaseView.ItemView other = new ReleaseView.ItemView("a/other", "Other \"x\"", "TASK", "DONE",
                "PRE_RELEASE", null, null, List.of());
        ReleaseView.ItemView post = new ReleaseView.ItemView("c/post", "Post", "TASK", "OPEN", "POST_RELEASE", null,
                null, List.of());
        ReleaseView.ItemView signoff = new ReleaseView.ItemView("s/qa", "QA Team Lead", "SIGNOFF", "OPEN",
                "PRE_RELEASE", "qa-lead", "PRE_RELEASE", List.of());
        ReleaseView release = new ReleaseView("r1", "toolboxai", "DRAFT", "riley", 3,
                List.of(task, post, signoff, other));
        assertThat(new String(PhaseDigest.canonical(release, "PRE_RELEASE")))
                .isEqualTo("{\"items\":[{\"key\":\"a/other\",\"state\":\"DONE\",\"text\":\"Other \\\"x\\\"\"},"
                        + "{\"key\":\"b/task\",\"state\":\"OPEN\",\"text\":\"Task\"}],\"phase\":\"PRE_RELEASE\","
                        + "\"releaseId\":\"r1\"}");
        ReleaseView signedOff = new ReleaseView("r1", "toolboxai", "READY", "riley", 9, List.of(task, post,
                new ReleaseView.ItemView("s/qa", "QA Team Lead", "SIGNOFF", "DONE", "PRE_RELEASE", "qa-lead",
                        "PRE_RELEASE", List.of()), other));
        assertThat(PhaseDigest.of(signedOff, "PRE_RELEASE")).isEqualTo(PhaseDigest.of(release, "PRE_RELEASE"));
        ReleaseView changed = new ReleaseView("r1", "toolboxai", "DRAFT", "riley", 4, List.of(
                new ReleaseView.ItemView("b/task", "Task", "TASK", "DONE", "PRE_RELEASE", null, null, List.of()),
                post, signoff, other));
        assertThat(PhaseDigest.of(changed, "PRE_RELEASE")).isNotEqualTo(PhaseDigest.of(release, "PRE_RELEASE"));
        assertThat(PhaseDigest.of(changed, "POST_RELEASE")).isEqualTo(PhaseDigest.of(release, "POST_RELEASE"));
    }
}
