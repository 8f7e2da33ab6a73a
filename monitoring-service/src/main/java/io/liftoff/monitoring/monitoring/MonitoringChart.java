package io.liftoff.monitoring.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Draws a release's monitoring as SVG, for people and dashboards: a panel per window (title, verdict, time left) and
 * a row per check with its verdict, its current value against the threshold, and a line of its recent evaluated
 * values with the threshold across it. Plain SVG 1.1 text, no script; every text from the checklist is escaped.
 */
final class MonitoringChart {

    private static final int WIDTH = 900;
    private static final int ROW = 34;
    private static final int HEADER = 30;
    private static final int SPARK_X = 560;
    private static final int SPARK_WIDTH = 320;

    private MonitoringChart() {
    }

    static String svg(ReleaseMonitoring monitoring, Instant now) {
        StringBuilder body = new StringBuilder();
        int y = 40;
        for (MonitoringWindow window : monitoring.getWindows()) {
            List<MonitoredCheck> checks = monitoring.getChecks().stream()
                    .filter(check -> window.getKey().equals(check.getWindowKey())).toList();
            body.append(String.format(Locale.ROOT,
                    "<rect x=\"10\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f6f8fa\" stroke=\"#d0d7de\"/>%n",
                    y, WIDTH - 20, HEADER + ROW * checks.size() + 6));
            body.append(String.format(Locale.ROOT,
                    "<text x=\"20\" y=\"%d\" font-weight=\"bold\">%s</text>"
                            + "<text x=\"%d\" y=\"%d\" fill=\"%s\" font-weight=\"bold\">%s</text>"
                            + "<text x=\"%d\" y=\"%d\" fill=\"#57606a\">%s</text>%n",
                    y + 20, escape(window.getTitle()), 420, y + 20, colour(window.getVerdict()),
                    escape(window.getVerdict()), SPARK_X, y + 20, escape(timeLeft(window, now))));
            int rowY = y + HEADER;
            for (MonitoredCheck check : checks) {
                body.append(row(check, rowY));
                rowY += ROW;
            }
            y = rowY + 16;
        }
        String title = "Monitoring of " + monitoring.getProduct() + " " + monitoring.getVersion()
                + (monitoring.getRollbackSince() != null ? " - ROLLBACK RECOMMENDED" : "");
        return String.format(Locale.ROOT, """
                <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" \
                font-family="sans-serif" font-size="12">
                <title>%s</title>
                <text x="10" y="24" font-size="16" font-weight="bold" fill="%s">%s</text>
                %s</svg>
                """, WIDTH, y, WIDTH, y, escape(title), monitoring.getRollbackSince() != null ? "#cf222e" : "#24292f",
                escape(title), body);
    }

    private static String row(MonitoredCheck check, int y) {
        StringBuilder row = new StringBuilder();
        String label = check.getText() == null ? check.getItemKey() : check.getText();
        row.append(String.format(Locale.ROOT,
                "<text x=\"24\" y=\"%d\">%s</text><text x=\"420\" y=\"%d\" fill=\"%s\">%s</text>"
                        + "<text x=\"420\" y=\"%d\" fill=\"#57606a\" font-size=\"10\">%s</text>%n",
                y + 14, escape(truncate(label, 60)), y + 12, colour(check.getVerdict()), escape(check.getVerdict()),
                y + 26, escape(valueAgainstThreshold(check))));
        List<EvaluationRecord> points = check.getEvaluations() == null ? List.of() : check.getEvaluations();
        Double threshold = check.getEffectiveThreshold() != null ? check.getEffectiveThreshold()
                : check.getThreshold();
        double min = threshold != null ? threshold : Double.MAX_VALUE;
        double max = threshold != null ? threshold : -Double.MAX_VALUE;
        for (EvaluationRecord point : points) {
            if (point.value() != null && Double.isFinite(point.value())) {
                min = Math.min(min, point.value());
                max = Math.max(max, point.value());
            }
        }
        row.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#ffffff\" stroke=\"#d0d7de\"/>%n",
                SPARK_X, y + 2, SPARK_WIDTH, ROW - 6));
        if (min > max) {
            row.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" fill=\"#57606a\" font-size=\"10\">no evaluation yet</text>%n",
                    SPARK_X + 8, y + 18));
            return row.toString();
        }
        double span = max - min == 0 ? 1 : max - min;
        int top = y + 6;
        int height = ROW - 14;
        if (threshold != null) {
            double ty = top + height - (threshold - min) / span * height;
            row.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                    + "stroke=\"#9a6700\" stroke-dasharray=\"4 3\"/>%n", SPARK_X, ty, SPARK_X + SPARK_WIDTH, ty));
        }
        int count = points.size();
        StringBuilder line = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (int i = 0; i < count; i++) {
            EvaluationRecord point = points.get(i);
            double x = SPARK_X + 6 + (count == 1 ? 0 : (double) i * (SPARK_WIDTH - 12) / (count - 1));
            if (point.value() == null || !Double.isFinite(point.value())) {
                dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"2.5\" fill=\"%s\"/>",
                        x, top + height, colour(point.verdict().name())));
                continue;
            }
            double py = top + height - (point.value() - min) / span * height;
            line.append(line.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, py));
            dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>", x,
                    py, colour(point.verdict().name())));
        }
        if (!line.isEmpty()) {
            row.append("<path d=\"").append(line).append("\" fill=\"none\" stroke=\"#57606a\"/>\n");
        }
        return row.append(dots).append('\n').toString();
    }

    static String valueAgainstThreshold(MonitoredCheck check) {
        String unit = check.getUnit() == null ? "" : " " + check.getUnit();
        String value = check.getCurrentValue() == null ? "no value" : number(check.getCurrentValue()) + unit;
        Double threshold = check.getEffectiveThreshold() != null ? check.getEffectiveThreshold()
                : check.getThreshold();
        return threshold == null || check.getComparator() == null ? value
                : value + " (target " + check.getComparator() + " " + number(threshold) + unit + ")";
    }

    private static String timeLeft(MonitoringWindow window, Instant now) {
        if (window.getClosesAt() == null) {
            return "";
        }
        Duration left = Duration.between(now, window.getClosesAt());
        if (left.isNegative() || left.isZero()) {
            return "closed";
        }
        return String.format(Locale.ROOT, "%dh %02dm left", left.toHours(), left.toMinutesPart());
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.3g", value);
    }

    private static String colour(String verdict) {
        if (verdict == null) {
            return "#57606a";
        }
        return switch (verdict) {
            case "PASS" -> "#1a7f37";
            case "FAIL" -> "#cf222e";
            case "INCONCLUSIVE" -> "#6e7781";
            default -> "#9a6700";
        };
    }

    private static String truncate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "\u2026";
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n') {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
