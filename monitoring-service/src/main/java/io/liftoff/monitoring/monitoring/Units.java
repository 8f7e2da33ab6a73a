package io.liftoff.monitoring.monitoring;

import java.util.Locale;

/**
 * The units samples and targets use, by dimension. Samples are stored in the canonical unit of their dimension
 * (time in ms, shares in %) and converted to the target's unit when a check evaluates.
 */
public enum Units {

    MS("ms", Dimension.TIME, 1), S("s", Dimension.TIME, 1000), MIN("min", Dimension.TIME, 60_000),
    PERCENT("%", Dimension.SHARE, 1), RATIO("ratio", Dimension.SHARE, 100), X("x", Dimension.FACTOR, 1),
    COUNT("count", Dimension.COUNT, 1);

    public enum Dimension {
        TIME, SHARE, FACTOR, COUNT
    }

    private final String symbol;
    private final Dimension dimension;
    private final double toCanonical;

    Units(String symbol, Dimension dimension, double toCanonical) {
        this.symbol = symbol;
        this.dimension = dimension;
        this.toCanonical = toCanonical;
    }

    public static Units of(String symbol) {
        if (symbol == null) {
            return null;
        }
        for (Units unit : values()) {
            if (unit.symbol.equals(symbol.trim().toLowerCase(Locale.ROOT))) {
                return unit;
            }
        }
        return null;
    }

    public String symbol() {
        return symbol;
    }

    public Dimension dimension() {
        return dimension;
    }

    public double toCanonical(double value) {
        return value * toCanonical;
    }

    public double fromCanonical(double canonical) {
        return canonical / toCanonical;
    }
}
