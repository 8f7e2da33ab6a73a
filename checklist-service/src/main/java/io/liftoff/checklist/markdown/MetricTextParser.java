package io.liftoff.checklist.markdown;

import io.liftoff.checklist.checklist.Comparator;
import io.liftoff.checklist.checklist.MetricTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the numeric target an item text states, e.g. {@code API response times: <200ms p95}.
 *
 * <h2>Target</h2>
 * <ul>
 * <li>A comparator ({@code <}, {@code <=}, {@code >}, {@code >=}, {@code ≤}, {@code ≥}) directly before a quantity.
 * There must be exactly one; a text with two comparisons is ambiguous and has no target. An arrow ({@code ->},
 * {@code =>}) is no comparator.</li>
 * <li>Without comparator: a quantity with an explicit unit followed by {@code +} ({@code 95%+ pass rate}) means
 * {@code >=}, but only when it is the only quantity with an explicit unit in the text
 * ({@code 75%+ Python, 70%+ TypeScript} is ambiguous). A bare number followed by {@code +} ("Java 17+") is no
 * target.</li>
 * </ul>
 * A quantity is a number (digits, optional thousands commas and decimals; not glued to a letter, so {@code p95},
 * {@code RS256} and version numbers such as {@code 1.1.0} are none) with an optional unit: {@code ms}
 * (milliseconds), {@code s} (s, sec, second(s)), {@code min} (min, minute(s)), {@code %} or {@code x}; a bare number
 * is a {@code count}. A number followed by another unit (hours, days, GB, ...) is not understood and gives no target.
 *
 * <h2>Metric name</h2>
 * The label is the text before the first {@code :} when that colon comes before the target, else the text before
 * the target. The metric is its snake_case words without markdown, emoji and aggregation words (p50, p95, p99,
 * average, avg, sustained). When the last word is the plural of a measurement noun (times, rates, queries, ...) it
 * is made singular, so "Error rates" and "Error rate" name the same metric; counted things keep their plural
 * ("User complaints" → {@code user_complaints}).
 *
 * <h2>Qualifiers</h2>
 * <ul>
 * <li>aggregation: {@code p50}/{@code p75}/{@code p90}/{@code p95}/{@code p99}/{@code p999} anywhere in the text,
 * else {@code average} for "average"/"avg", else {@code sustained}.</li>
 * <li>relative targets: {@code 2x normal} (or {@code 2x baseline}) is a RATIO to the baseline {@code normal}
 * ({@code baseline}); {@code 10% increase} (or {@code 10% above normal}) an INCREASE over {@code normal}.</li>
 * <li>observed: when exactly one other quantity in the text has the target's unit, its value
 * ({@code p95 latency: 142ms (target: <200ms)} → 142).</li>
 * </ul>
 */
public final class MetricTextParser {

    private static final String QUANTITY = "(?<![\\p{L}\\p{N}.,])"
            + "(?<num>\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)(?![.,]?\\d)"
            + "(?:[ \\t]?(?<unit>(?i:milliseconds?|ms|minutes?|mins?|seconds?|secs?|s|%|x))(?![\\p{L}\\p{N}]))?"
            + "(?![\\p{L}\\p{N}])";
    private static final Pattern QUANTITY_PATTERN = Pattern.compile(QUANTITY);
    private static final Pattern COMPARISON = Pattern.compile("(?<![-=<>])(?<cmp><=|>=|≤|≥|<|>)[ \\t]*" + QUANTITY);
    private static final Pattern UNSUPPORTED_UNIT = Pattern.compile(
            "(?i)[ \\t]?(?:hours?|hrs?|h|days?|weeks?|months?|years?|[kmgtp]i?b|bytes?)(?![\\p{L}\\p{N}])");
    private static final Pattern PERCENTILE = Pattern.compile("(?i)(?<![\\p{L}\\p{N}])(p50|p75|p90|p95|p99|p999)"
            + "(?![\\p{L}\\p{N}])");
    private static final Pattern AVERAGE = Pattern.compile("(?i)(?<![\\p{L}\\p{N}])(average|avg)(?![\\p{L}\\p{N}])");
    private static final Pattern SUSTAINED = Pattern.compile("(?i)(?<![\\p{L}\\p{N}])sustained(?![\\p{L}\\p{N}])");
    private static final Pattern AGGREGATION_WORD = Pattern.compile(
            "(?i)(?<![\\p{L}\\p{N}])(?:p50|p75|p90|p95|p99|p999|average|avg|sustained)(?![\\p{L}\\p{N}])");
    private static final Pattern RATIO_BASELINE =
            Pattern.compile("(?i)[ \\t]*\\+?[ \\t]*(normal|baseline)(?![\\p{L}\\p{N}]).*", Pattern.DOTALL);
    private static final Pattern INCREASE = Pattern.compile(
            "(?i)[ \\t]*\\+?[ \\t]*(?:increase|(?:above|over)[ \\t]+(?:normal|baseline))(?![\\p{L}\\p{N}]).*",
            Pattern.DOTALL);
    private static final Set<String> MEASUREMENT_PLURALS = Set.of("times", "rates", "queries", "latencies",
            "durations", "counts", "ratios", "speeds", "sizes", "levels", "scores", "percentages", "loads");

    /** A number with its normalised unit, at {@code [start, end)} of the cleaned text. */
    private record Quantity(int start, int end, double value, String unit) {
    }

    /** The stated target; {@code labelEnd} is where the comparator (or the number of a "95%+" form) starts. */
    private record Target(Comparator comparator, Quantity quantity, int labelEnd) {
    }

    /** The target the text states, or empty when it states none or more than one. */
    public Optional<MetricTarget> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String clean = withoutMarkdown(text);
        List<Quantity> quantities = quantities(clean);
        List<Target> comparisons = comparisons(clean);
        if (comparisons.size() > 1) {
            return Optional.empty();
        }
        Target target = comparisons.isEmpty() ? plusTarget(clean, quantities) : comparisons.get(0);
        return Optional.ofNullable(target).map(t -> toMetricTarget(clean, t, quantities));
    }

    private static MetricTarget toMetricTarget(String clean, Target target, List<Quantity> quantities) {
        Quantity q = target.quantity();
        String after = clean.substring(q.end());
        MetricTarget.Relative relative = relative(q.unit(), after);
        String baseline = relative == null ? null : baseline(relative, after);
        return new MetricTarget(metricName(label(clean, target)), target.comparator(), q.value(), q.unit(),
                aggregation(clean), baseline, relative, observed(q, quantities));
    }

    private static List<Target> comparisons(String clean) {
        List<Target> targets = new ArrayList<>();
        Matcher m = COMPARISON.matcher(clean);
        while (m.find()) {
            Quantity q = quantity(m, clean);
            if (q != null) {
                targets.add(new Target(Comparator.ofSymbol(m.group("cmp")), q, m.start()));
            }
        }
        return targets;
    }

    private static Target plusTarget(String clean, List<Quantity> quantities) {
        List<Quantity> withUnit = quantities.stream().filter(q -> !q.unit().equals("count")).toList();
        if (withUnit.size() != 1) {
            return null;
        }
        Quantity q = withUnit.get(0);
        boolean plus = q.end() < clean.length() && clean.charAt(q.end()) == '+';
        return plus ? new Target(Comparator.GE, q, q.start()) : null;
    }

    private static List<Quantity> quantities(String clean) {
        List<Quantity> quantities = new ArrayList<>();
        Matcher m = QUANTITY_PATTERN.matcher(clean);
        while (m.find()) {
            Quantity q = quantity(m, clean);
            if (q != null) {
                quantities.add(q);
            }
        }
        return quantities;
    }

    /** The quantity matched, or null when its number is not finite or it is followed by an unsupported unit. */
    private static Quantity quantity(Matcher m, String clean) {
        String unit = normaliseUnit(m.group("unit"));
        if (unit.equals("count") && UNSUPPORTED_UNIT.matcher(clean).region(m.end(), clean.length()).lookingAt()) {
            return null;
        }
        double value = Double.parseDouble(m.group("num").replace(",", ""));
        return Double.isFinite(value) ? new Quantity(m.start("num"), m.end(), value, unit) : null;
    }

    private static String normaliseUnit(String unit) {
        if (unit == null) {
            return "count";
        }
        String u = unit.toLowerCase(Locale.ROOT);
        if (u.equals("%") || u.equals("x") || u.equals("ms")) {
            return u;
        }
        if (u.startsWith("milli")) {
            return "ms";
        }
        return u.startsWith("m") ? "min" : "s";
    }

    private static String label(String clean, Target target) {
        int colon = clean.indexOf(':');
        return clean.substring(0, colon >= 0 && colon < target.labelEnd() ? colon : target.labelEnd());
    }

    static String metricName(String label) {
        String snake = Slugs.snake(AGGREGATION_WORD.matcher(label).replaceAll(" "));
        int lastWord = snake.lastIndexOf('_') + 1;
        String last = snake.substring(lastWord);
        if (MEASUREMENT_PLURALS.contains(last)) {
            String singular = last.endsWith("ies") ? last.substring(0, last.length() - 3) + "y"
                    : last.substring(0, last.length() - 1);
            snake = snake.substring(0, lastWord) + singular;
        }
        return snake.isEmpty() ? "value" : snake;
    }

    private static String aggregation(String clean) {
        Matcher percentile = PERCENTILE.matcher(clean);
        if (percentile.find()) {
            return percentile.group(1).toLowerCase(Locale.ROOT);
        }
        if (AVERAGE.matcher(clean).find()) {
            return "average";
        }
        return SUSTAINED.matcher(clean).find() ? "sustained" : null;
    }

    private static MetricTarget.Relative relative(String unit, String after) {
        if (unit.equals("x") && RATIO_BASELINE.matcher(after).matches()) {
            return MetricTarget.Relative.RATIO;
        }
        if (unit.equals("%") && INCREASE.matcher(after).matches()) {
            return MetricTarget.Relative.INCREASE;
        }
        return null;
    }

    private static String baseline(MetricTarget.Relative relative, String after) {
        if (relative == MetricTarget.Relative.RATIO) {
            Matcher m = RATIO_BASELINE.matcher(after);
            return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : "normal";
        }
        return after.toLowerCase(Locale.ROOT).contains("baseline") ? "baseline" : "normal";
    }

    private static Double observed(Quantity target, List<Quantity> quantities) {
        List<Quantity> others = quantities.stream()
                .filter(q -> q.start() != target.start() && q.unit().equals(target.unit()))
                .toList();
        return others.size() == 1 ? others.get(0).value() : null;
    }

    /** Drops bold/italic underscores markers and code ticks, which never change what a target means. */
    private static String withoutMarkdown(String text) {
        return text.replace("**", "").replace("__", "").replace("`", "");
    }
}
