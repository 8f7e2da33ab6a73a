package io.liftoff.checklist.checklist;

import java.util.List;
import java.util.Map;

/**
 * A parsed checklist: the document's lines in order, its sections, its items in document order (a flat list;
 * {@link Item#parentId()} gives the tree) and its metadata fields in document order (header and footer
 * {@code **Name**: value} lines, e.g. "Release Version" → "1.1.0").
 */
public record Checklist(String title, List<DocLine> lines, List<Section> sections, List<Item> items,
        Map<String, String> metadata) {
}
