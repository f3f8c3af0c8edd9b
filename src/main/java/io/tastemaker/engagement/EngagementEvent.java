package io.tastemaker.engagement;

import java.time.Instant;

/**
 * One engagement event. {@code eventId} is the storefront's own id: sending the same event twice
 * (a retry) counts once. {@code sessionId}, {@code boardId} and {@code query} are optional;
 * {@code query} is the search or assistant request the shopper engaged from (a training signal
 * for the embedding model: words → the product they led to).
 */
public record EngagementEvent(String eventId, EventType type, String userId, String productId, String sessionId,
                              String boardId, String query, Instant occurredAt) {

    public static final int MAX_QUERY = 256;

    /** An event that did not come from a search. */
    public EngagementEvent(String eventId, EventType type, String userId, String productId, String sessionId,
                           String boardId, Instant occurredAt) {
        this(eventId, type, userId, productId, sessionId, boardId, null, occurredAt);
    }

    /** The query as it is grouped: lower case, single spaces. */
    public static String normalizedQuery(String query) {
        return query == null ? null : query.trim().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
    }
}
