package io.liftoff.monitoring.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.liftoff.monitoring.config.MonitoringProperties;
import org.junit.jupiter.api.Test;

class MonitoringChartTest {

    private static final Instant DEPLOYED = Instant.parse("2026-11-25T00:00:00Z");
    private static final MonitoringProperties.Defaults DEFAULTS = MonitoringFixtures.DEFAULTS;

    @Test
    void drawsEachWindowAndCheckWithItsValuesAgainstTheThresholdAndEscapesChecklistText() throws Exception {
        ReleaseMonitoring monitoring = ReleaseMonitoring.start(new ReleaseSnapshot("r", "toolboxai", "1.1.0",
                "MONITORING", DEPLOYED, List.of(new ReleaseSnapshot.WindowSpec("w", "First 2 hours <post-deploy>",
                        Duration.ofHours(2))),
                List.of(new ReleaseSnapshot.ItemSpec("i", "w/i", "Error rates: <0.1% & \"steady\"", "METRIC", "w",
                        new ReleaseSnapshot.Target("error_rate", "<", 0.1, "%", null, null)))), DEFAULTS, DEPLOYED);
        MonitoredCheck check = monitoring.check("i");
        MonitoringProperties properties = MonitoringFixtures.PROPERTIES;
        double[] values = { 0.04, 0.05, 0.06, 0.12, 0.08 };
        for (int i = 0; i < values.length; i++) {
            Instant at = DEPLOYED.plusSeconds(60L * (i + 1));
            EvaluationRecord.Verdict verdict = values[i] < 0.1 ? EvaluationRecord.Verdict.PASS
                    : EvaluationRecord.Verdict.FAIL;
            monitoring.applyEvaluation(check, new EvaluationRecord(at, verdict, values[i], 0.1, "SAMPLES", 3,
                    "test"), null, at, properties, "http://m/e");
        }
        monitoring.applyEvaluation(check, EvaluationRecord.inconclusive(DEPLOYED.plusSeconds(360), "SAMPLES",
                "No samples"), null, DEPLOYED.plusSeconds(360), properties, "http://m/e");

        String svg = MonitoringChart.svg(monitoring, DEPLOYED.plusSeconds(400));

        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>\n")
                .contains("First 2 hours &lt;post-deploy&gt;").contains("1h 53m left")
                .contains("Error rates: &lt;0.1% &amp; &quot;steady&quot;")
                .doesNotContain("<post-deploy>").doesNotContain("\"steady\"")
                .contains("stroke-dasharray=\"4 3\"")
                .contains("fill=\"#cf222e\"/>").contains("fill=\"#1a7f37\"/>").contains("fill=\"#6e7781\"/>");
        assertThat(svg.split("<circle ", -1)).hasSize(values.length + 2);
        Files.writeString(Path.of("target", "monitoring-chart-example.svg"), svg);
    }
}
