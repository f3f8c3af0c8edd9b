package io.tastemaker.engagement;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One engagement event. {@code eventId} is the storefront's own id: sending the same event twice
 * (a retry) counts once. {@code sessionId}, {@code boardId} and {@code query} are optional;
 * {@code query} is the search or assistant request the shopper engaged from (a training signal
 * for the embedding model: words → the product they led to). {@code attribution} is null unless
 * the event names the list it came from; an impression has no {@code productId} and always has one.
 */
public record EngagementEvent(String eventId, EventType type, String userId, String productId, String sessionId,
                              String boardId, String query, Instant occurredAt, Attribution attribution) {

    public static final int MAX_QUERY = 256;

    /** An event that does not say which list it came from. */
    public EngagementEvent(String eventId, EventType type, String userId, String productId, String sessionId,
                           String boardId, String query, Instant occurredAt) {
        this(eventId, type, userId, productId, sessionId, boardId, query, occurredAt, null);
    }

    /** An event that did not come from a search. */
    public EngagementEvent(String eventId, EventType type, String userId, String productId, String sessionId,
                           String boardId, Instant occurredAt) {
        this(eventId, type, userId, productId, sessionId, boardId, null, occurredAt, null);
    }

    /**
     * Which list answer the event came from (docs/storefront-api.md#attribution).
     *
     * @param recommId   the list answer's recommId
     * @param position   the item's 1-based position in that list, when the storefront sent it
     * @param value      a purchase's value (≥ 0), with its ISO 4217 {@code currency}
     * @param productIds an impression's products rendered in view (distinct, in the order sent)
     */
    public record Attribution(String recommId, Integer position, BigDecimal value, String currency,
                              List<String> productIds) {
    }

    /** The recommId the event carries, or null. */
    public String recommId() {
        return attribution == null ? null : attribution.recommId();
    }

    /** The query as it is grouped: lower case, single spaces. */
    public static String normalizedQuery(String query) {
        return query == null ? null : query.trim().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
    }
}
