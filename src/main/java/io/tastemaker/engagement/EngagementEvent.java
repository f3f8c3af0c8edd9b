package io.tastemaker.engagement;

import java.time.Instant;

/**
 * One engagement event. {@code eventId} is the storefront's own id: sending the same event twice
 * (a retry) counts once. {@code sessionId} and {@code boardId} are optional.
 */
public record EngagementEvent(String eventId, EventType type, String userId, String productId, String sessionId,
                              String boardId, Instant occurredAt) {
}
