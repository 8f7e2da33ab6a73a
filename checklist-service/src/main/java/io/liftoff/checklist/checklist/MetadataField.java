package io.liftoff.checklist.checklist;

/** A header or footer field of the checklist ({@code **Release Version**: 1.1.0}), in document order. */
public record MetadataField(String name, String value) {
}
