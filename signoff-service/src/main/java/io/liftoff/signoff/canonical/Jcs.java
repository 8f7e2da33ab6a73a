package io.liftoff.signoff.canonical;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 (JSON Canonicalization Scheme) for the values Liftoff signs: maps with string keys, lists, strings,
 * booleans, null and integral numbers. Object members are sorted by the UTF-16 code units of their names, strings are
 * escaped as ECMAScript's {@code JSON.stringify} does, no whitespace, UTF-8 output. Non-integral numbers are refused
 * (nothing Liftoff signs carries one), so the ECMAScript number formatting rules never come into play.
 */
public final class Jcs {

    private Jcs() {
    }

    public static byte[] canonicalize(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static String canonicalString(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        }
        else if (value instanceof String s) {
            string(s, out);
        }
        else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        }
        else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            long number = ((Number) value).longValue();
            if (Math.abs(number) > (1L << 53)) {
                throw new IllegalArgumentException("Integer outside the I-JSON range: " + number);
            }
            out.append(number);
        }
        else if (value instanceof Map<?, ?> map) {
            List<String> names = new ArrayList<>();
            for (Object name : map.keySet()) {
                names.add((String) name);
            }
            names.sort(String::compareTo); // String.compareTo orders by UTF-16 code units, as RFC 8785 3.2.3 asks
            out.append('{');
            boolean first = true;
            for (String name : names) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(name, out);
                out.append(':');
                write(map.get(name), out);
            }
            out.append('}');
        }
        else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object element : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(element, out);
            }
            out.append(']');
        }
        else {
            throw new IllegalArgumentException("Not canonicalizable: " + value.getClass().getName());
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
