package io.liftoff.checklist.release;

import java.util.List;

import io.liftoff.checklist.checklist.DocLine;
import io.liftoff.checklist.checklist.Item;
import io.liftoff.checklist.checklist.MetadataField;
import io.liftoff.checklist.checklist.Section;

import org.springframework.data.annotation.Id;

/**
 * What never changes after a release is opened: the document's lines, sections, metadata and the items' static parts
 * (key, text, kind, target, ...). Written once, next to the release aggregate, so that the aggregate document that
 * every change rewrites holds only what changes (the items' states, revision, progress, outbox).
 */
public record ReleaseLayout(@Id String id, String title, List<MetadataField> metadata, List<DocLine> lines,
        List<Section> sections, List<Item> items) {
}
