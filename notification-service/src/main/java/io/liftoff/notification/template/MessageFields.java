package io.liftoff.notification.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.liftoff.notification.contact.ReleaseView;
import io.liftoff.notification.event.EventType;

/**
 * The fields a message template may use, per event type, and their values for one event: taken from the event's
 * {@code data} (several producers' spellings are accepted), completed from the release read from checklist-service
 * (its version, an item's text).
 */
public final class MessageFields {

    private static final List<String> COMMON = List.of("eventType", "eventId", "product", "releaseId",
            "release.version", "release.status", "actor", "occurredAt", "severity", "level", "link");

    private static final Map<EventType, List<String>> BY_TYPE = Map.of(
            EventType.RELEASE_CREATED, List.of("release.type", "release.previousVersion"),
            EventType.ITEM_UPDATED, List.of("item.id", "item.key", "item.text", "item.kind", "item.phase",
                    "item.fromState", "item.toState", "item.note", "item.evidence", "checklistVersion"),
            EventType.RELEASE_TRANSITIONED, List.of("transition.from", "transition.to", "transition.reason",
                    "checklistVersion", "deployedAt"),
            EventType.SIGNOFF_RECORDED, List.of("signoff.role", "signoff.signer", "signoff.decision",
                    "signoff.phase", "signoff.reason", "checklistVersion"),
            EventType.SIGNOFF_REVOKED, List.of("signoff.role", "signoff.signer", "signoff.decision",
                    "signoff.phase", "signoff.reason", "checklistVersion"),
            EventType.GATE_CLEARED, List.of("gate.phase", "checklistVersion"),
            EventType.METRIC_BREACHED, List.of("metric.name", "metric.value", "metric.threshold",
                    "metric.comparator", "metric.unit", "metric.aggregation", "metric.window", "item.id",
                    "item.key", "item.text"),
            EventType.ROLLBACK_TRIGGERED, List.of("trigger.key", "trigger.text", "trigger.reason", "metric.name",
                    "metric.value", "metric.threshold", "metric.comparator", "metric.unit", "item.id", "item.key",
                    "item.text"));

    /** Where each field may be found in {@code data}, first match wins. */
    private static final Map<String, List<String>> PATHS = Map.ofEntries(
            Map.entry("item.id", List.of("itemId", "item.id", "trigger.itemId")),
            Map.entry("item.key", List.of("key", "itemKey", "item.key", "trigger.key")),
            Map.entry("item.text", List.of("text", "itemText", "item.text", "trigger.text")),
            Map.entry("item.kind", List.of("kind", "item.kind")),
            Map.entry("item.phase", List.of("phase", "item.phase")),
            Map.entry("item.fromState", List.of("fromState")),
            Map.entry("item.toState", List.of("toState")),
            Map.entry("item.note", List.of("note")),
            Map.entry("item.evidence", List.of("evidence")),
            Map.entry("checklistVersion", List.of("checklistVersion")),
            Map.entry("transition.from", List.of("from")),
            Map.entry("transition.to", List.of("to")),
            Map.entry("transition.reason", List.of("reason")),
            Map.entry("deployedAt", List.of("deployedAt")),
            Map.entry("release.type", List.of("type", "releaseType")),
            Map.entry("release.previousVersion", List.of("previousVersion")),
            Map.entry("signoff.role", List.of("role", "signoff.role")),
            Map.entry("signoff.signer", List.of("signer", "signedBy", "by", "signoff.signer")),
            Map.entry("signoff.decision", List.of("decision", "signoff.decision")),
            Map.entry("signoff.phase", List.of("phase")),
            Map.entry("signoff.reason", List.of("reason")),
            Map.entry("gate.phase", List.of("phase", "gate.phase")),
            Map.entry("metric.name", List.of("metric", "metric.name", "target.metric", "trigger.metric")),
            Map.entry("metric.value", List.of("value", "observed", "metric.value", "trigger.value")),
            Map.entry("metric.threshold", List.of("threshold", "target.threshold", "trigger.threshold")),
            Map.entry("metric.comparator", List.of("comparator", "target.comparator", "trigger.comparator")),
            Map.entry("metric.unit", List.of("unit", "target.unit", "trigger.unit")),
            Map.entry("metric.aggregation", List.of("aggregation", "target.aggregation")),
            Map.entry("metric.window", List.of("window")),
            Map.entry("trigger.key", List.of("key", "triggerKey", "trigger.key", "itemKey")),
            Map.entry("trigger.text", List.of("triggerText", "trigger.text", "text", "trigger", "itemText")),
            Map.entry("trigger.reason", List.of("reason", "trigger.reason")));

    private MessageFields() {
    }

    public static List<String> fieldsOf(EventType type) {
        List<String> fields = new ArrayList<>(COMMON);
        fields.addAll(BY_TYPE.getOrDefault(type, List.of()));
        return List.copyOf(fields);
    }

    /** The event as the templates see it. */
    public record EventFacts(String eventId, String eventType, String product, String releaseId, String actor,
            String occurredAt, String severity, Map<String, Object> data) {
    }

    public static Map<String, String> values(EventFacts event, ReleaseView release, int level, String link) {
        EventType type = EventType.fromWire(event.eventType()).orElseThrow();
        Map<String, Object> data = event.data() == null ? Map.of() : event.data();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("eventType", event.eventType());
        values.put("eventId", event.eventId());
        values.put("product", event.product());
        values.put("releaseId", event.releaseId());
        values.put("actor", event.actor());
        values.put("occurredAt", event.occurredAt());
        values.put("severity", event.severity());
        values.put("level", level > 0 ? Integer.toString(level) : null);
        values.put("link", link);
        values.put("release.version", first(lookup(data, "version"), release == null ? null : release.version()));
        values.put("release.status", first(lookup(data, "status"), release == null ? null : release.status()));
        for (String field : BY_TYPE.getOrDefault(type, List.of())) {
            String value = null;
            for (String path : PATHS.getOrDefault(field, List.of())) {
                value = lookup(data, path);
                if (value != null) {
                    break;
                }
            }
            values.put(field, value);
        }
        if (release != null) {
            String itemId = values.get("item.id");
            ReleaseView.ItemInfo item = itemId == null ? null : release.items().get(itemId);
            if (item != null) {
                if (values.containsKey("item.text") && values.get("item.text") == null) {
                    values.put("item.text", item.text());
                }
                if (values.containsKey("item.key") && values.get("item.key") == null) {
                    values.put("item.key", item.key());
                }
                if (values.containsKey("item.kind") && values.get("item.kind") == null) {
                    values.put("item.kind", item.kind());
                }
                if (values.containsKey("trigger.text") && values.get("trigger.text") == null) {
                    values.put("trigger.text", item.text());
                }
            }
        }
        if (values.get("release.version") == null) {
            values.put("release.version", event.releaseId());
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    private static String lookup(Map<String, Object> data, String path) {
        Object current = data;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = ((Map<String, Object>) map).get(part);
        }
        if (current == null || current instanceof Map<?, ?> || current instanceof List<?>) {
            return null;
        }
        String value = current.toString();
        return value.isBlank() ? null : value;
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
