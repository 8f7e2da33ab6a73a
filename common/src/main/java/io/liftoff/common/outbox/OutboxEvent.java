package io.liftoff.common.outbox;

import java.time.Instant;
import java.util.Map;

import io.liftoff.common.ids.TimeOrderedIds;

/**
 * The platform's event envelope (DESIGN.md section 7): {@code eventId}, {@code type} ({@code release.created},
 * {@code item.updated}, ...), {@code releaseId}, {@code product}, {@code occurredAt}, {@code actor}, {@code data}.
 */
public record OutboxEvent(String eventId, String type, String releaseId, String product, Instant occurredAt,
        String actor, Map<String, Object> data) {

    public static OutboxEvent of(String type, String releaseId, String product, String actor,
            Map<String, Object> data, Instant at) {
        return new OutboxEvent(TimeOrderedIds.next(), type, releaseId, product, at, actor, data);
    }
}
