package io.liftoff.checklist.template;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.liftoff.checklist.checklist.Checklist;
import io.liftoff.checklist.checklist.DocLine;
import io.liftoff.checklist.checklist.Item;
import io.liftoff.checklist.checklist.MetadataField;
import io.liftoff.checklist.checklist.Section;

/** One version of a template: a blank checklist. Once published it never changes. */
public record TemplateVersion(int version, boolean published, String createdBy, Instant createdAt,
        Instant publishedAt, String title, List<DocLine> lines, List<Section> sections, List<Item> items,
        List<MetadataField> metadata) {

    static TemplateVersion draft(int version, Checklist checklist, String actor, Instant now) {
        List<MetadataField> fields = checklist.metadata().entrySet().stream()
                .map(e -> new MetadataField(e.getKey(), e.getValue())).toList();
        List<Item> blank = checklist.items().stream().map(Item::reset).toList();
        return new TemplateVersion(version, false, actor, now, null, checklist.title(), checklist.lines(),
                checklist.sections(), blank, fields);
    }

    TemplateVersion publish(Instant now) {
        return new TemplateVersion(version, true, createdBy, createdAt, now, title, lines, sections, items, metadata);
    }

    public Checklist checklist() {
        Map<String, String> fields = new LinkedHashMap<>();
        metadata.forEach(field -> fields.put(field.name(), field.value()));
        return new Checklist(title, lines, sections, items, fields);
    }
}
