package io.liftoff.checklist.markdown;

import io.liftoff.checklist.checklist.ItemState;

/** What one physical line of Markdown is, as far as the checklist parser cares. */
sealed interface MarkdownLine {

    /** {@code ## 📋 Pre-Release Preparation}: level 2, title "📋 Pre-Release Preparation" (closing #s removed). */
    record Heading(int level, String title) implements MarkdownLine {
    }

    /** {@code <indent><marker> [<mark>] <text>}; {@code text} is everything after the space behind {@code ]}. */
    record Checkbox(String indent, String marker, ItemState state, String text) implements MarkdownLine {
    }

    /** A list line without checkbox: {@code <indent><marker> <text>} with exactly one space after the marker. */
    record ListEntry(String indent, String marker, String text) implements MarkdownLine {
    }

    /** {@code **Name**: value} at the start of the line, without list marker. */
    record Field(String name, String value) implements MarkdownLine {
    }

    /** Anything else: prose, blank lines, rules, lines inside fenced code blocks. */
    record Other() implements MarkdownLine {
    }
}
