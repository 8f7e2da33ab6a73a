package io.liftoff.notification.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.liftoff.notification.contact.ReleaseView;
import org.junit.jupiter.api.Test;

class MessageTemplatesTest {

    private final MessageTemplates templates = new MessageTemplates(null, Clock.systemUTC(),
            io.liftoff.notification.channel.AddressPolicyTest.properties());

    private static final ReleaseView RELEASE = new ReleaseView("r1", "toolboxai", "1.1.0", "MONITORING",
            Map.of("it-error-rate", new ReleaseView.ItemInfo("rollback-plan/rollback-triggers/error-rate",
                    "Error rate >5% for 5 minutes", "TRIGGER")),
            List.of());

    private static MessageFields.EventFacts rollback(Map<String, Object> data) {
        return new MessageFields.EventFacts("e1", "rollback.triggered", "toolboxai", "r1", "monitoring-service",
                "2026-11-25T01:00:00Z", "CRITICAL", data);
    }

    @Test
    void placeholdersAreFoundWithOrWithoutSpaces() {
        assertThat(MessageTemplates.placeholders("{{a}} and {{ b.c }} but not {single}")).containsExactly("a", "b.c");
    }

    @Test
    void aRollbackTellsTheTriggerAndTheValueAgainstItsThreshold() {
        Map<String, String> values = MessageFields.values(rollback(Map.of("itemId", "it-error-rate", "metric",
                "error_rate", "value", 7.2, "threshold", 5, "comparator", ">", "unit", "%")), RELEASE, 1,
                "http://gw/api/releases/r1");

        MessageTemplates.Rendered rendered = templates.render(new MessageTemplates.Template("rollback.triggered",
                "{{release.version}} {{trigger.text}}", "{{metric.name}}={{metric.value}}{{metric.unit}} "
                        + "({{metric.comparator}} {{metric.threshold}}) L{{level}} {{link}}", null, true),
                values);

        assertThat(rendered.title()).isEqualTo("1.1.0 Error rate >5% for 5 minutes");
        assertThat(rendered.text()).isEqualTo("error_rate=7.2% (> 5) L1 http://gw/api/releases/r1");
        assertThat(rendered.html()).contains("<h3>1.1.0 Error rate &gt;5% for 5 minutes</h3>")
                .contains("<a href=\"http://gw/api/releases/r1\">");
    }

    @Test
    void nestedTriggerAndTargetObjectsAreReadToo() {
        Map<String, String> values = MessageFields.values(rollback(Map.of("trigger", Map.of("key", "k", "text",
                "CPU utilization >80% sustained", "metric", "cpu_utilization", "value", 93, "threshold", 80))), null,
                2, "l");

        assertThat(values).containsEntry("trigger.text", "CPU utilization >80% sustained")
                .containsEntry("metric.name", "cpu_utilization").containsEntry("metric.value", "93")
                .containsEntry("metric.threshold", "80").containsEntry("release.version", "r1")
                .containsEntry("level", "2");
    }

    @Test
    void missingValuesRenderAsADashAndHtmlValuesAreEscaped() {
        MessageTemplates.Rendered rendered = templates.render(new MessageTemplates.Template("item.updated", "{{x}}",
                "{{y}}", "<b>{{y}}</b>", true), Map.of("y", "<i>&"));

        assertThat(rendered.title()).isEqualTo("—");
        assertThat(rendered.text()).isEqualTo("<i>&");
        assertThat(rendered.html()).isEqualTo("<b>&lt;i&gt;&amp;</b>");
    }
}
