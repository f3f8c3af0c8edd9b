package io.tastemaker.engagement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.api.UserIds;
import io.tastemaker.catalog.ProductValidator;
import io.tastemaker.streams.VersionedJson;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one JSON codec for engagement events: the REST body's events and the records of the
 * engagement topic (schema 1), which storefronts with a Kafka producer may write directly:
 * <pre>
 * key: userId
 * {"schema":1, "eventId":"e-1", "type":"pin", "userId":"u-1", "productId":"p-1",
 *  "sessionId":"s-1", "boardId":"b-1", "query":"linen sofa", "occurredAt":"2026-11-23T10:15:30Z"}
 * </pre>
 * The same rules apply on both paths; "in the future" is judged against the request time on
 * REST and against the record's timestamp on the topic, so a replay judges alike.
 */
@ApplicationScoped
public class EventCodec {

    public static final int SCHEMA = 1;
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final ObjectMapper json;
    private final Duration maxClockSkew;

    EventCodec(ObjectMapper json, EngagementConfig config) {
        this.json = json;
        this.maxClockSkew = config.maxClockSkew();
    }

    public String encode(EngagementEvent e) {
        ObjectNode node = json.createObjectNode()
                .put("schema", SCHEMA)
                .put("eventId", e.eventId())
                .put("type", e.type().wireName())
                .put("userId", e.userId())
                .put("productId", e.productId());
        if (e.sessionId() != null) {
            node.put("sessionId", e.sessionId());
        }
        if (e.boardId() != null) {
            node.put("boardId", e.boardId());
        }
        if (e.query() != null) {
            node.put("query", e.query());
        }
        node.put("occurredAt", e.occurredAt().toString());
        return VersionedJson.write(json, node);
    }

    /** Decodes one topic record; throws {@link InvalidInputException} naming what is wrong. */
    public EngagementEvent decode(String key, String value, Instant recordTime) {
        if (value == null) {
            throw new InvalidInputException("value", "is required: an engagement event");
        }
        EngagementEvent event = read(VersionedJson.read(json, value, SCHEMA), "", recordTime);
        if (!event.userId().equals(key)) {
            throw new InvalidInputException("key", "must equal the userId '" + event.userId()
                    + "' so that one shopper's events stay in order, got '" + key + "'");
        }
        return event;
    }

    /**
     * Reads and validates one event, reporting every wrong field at once; field names are prefixed
     * with {@code prefix} (e.g. {@code events[3].}).
     */
    public EngagementEvent read(JsonNode node, String prefix, Instant now) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(prefix.isEmpty() ? "event" : prefix.substring(0, prefix.length() - 1),
                    "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        String eventId = text(errors, prefix, node, "eventId", true);
        String typeName = text(errors, prefix, node, "type", true);
        EventType type = null;
        if (typeName != null) {
            type = EventType.fromWire(typeName).orElse(null);
            if (type == null) {
                errors.add(new FieldError(prefix + "type", "must be one of " + EventType.allowed() + ", got '" + typeName + "'"));
            }
        }
        String userId = text(errors, prefix, node, "userId", true);
        if (userId != null && !UserIds.valid(userId)) {
            errors.add(new FieldError(prefix + "userId", UserIds.RULE));
        }
        String productId = text(errors, prefix, node, "productId", true);
        if (productId != null && !ProductValidator.ID.matcher(productId).matches()) {
            errors.add(new FieldError(prefix + "productId", "must be 1-128 characters of letters, digits and . _ : -, "
                    + "starting with a letter or digit"));
        }
        String sessionId = text(errors, prefix, node, "sessionId", false);
        String boardId = text(errors, prefix, node, "boardId", false);
        String query = query(errors, prefix, node);
        Instant occurredAt = occurredAt(errors, prefix, node, now);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new EngagementEvent(eventId, type, userId, productId, sessionId, boardId, query, occurredAt);
    }

    private static String query(List<FieldError> errors, String prefix, JsonNode node) {
        JsonNode value = node.get("query");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > EngagementEvent.MAX_QUERY
                || CONTROL.matcher(value.asText()).find()) {
            errors.add(new FieldError(prefix + "query", "must be the search or assistant request the shopper engaged from:"
                    + " 1-" + EngagementEvent.MAX_QUERY + " characters without control characters"));
            return null;
        }
        return value.asText();
    }

    private static String text(List<FieldError> errors, String prefix, JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(new FieldError(prefix + field, "is required"));
            }
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new FieldError(prefix + field, "must be a string"));
            return null;
        }
        String text = value.asText();
        if (text.isBlank() || text.length() > 128 || CONTROL.matcher(text).find()) {
            errors.add(new FieldError(prefix + field, "must be 1-128 characters without control characters"));
            return null;
        }
        return text;
    }

    private Instant occurredAt(List<FieldError> errors, String prefix, JsonNode node, Instant now) {
        String field = prefix + "occurredAt";
        JsonNode value = node.get("occurredAt");
        if (value == null || value.isNull()) {
            errors.add(new FieldError(field, "is required: when the shopper did it, e.g. 2026-11-23T10:15:30Z"));
            return null;
        }
        Instant at;
        try {
            at = Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant such as 2026-11-23T10:15:30Z, got '"
                    + value.asText() + "'"));
            return null;
        }
        if (at.isAfter(now.plus(maxClockSkew))) {
            errors.add(new FieldError(field, "is in the future (" + at + " is more than " + maxClockSkew.toSeconds()
                    + " s after " + now + ")"));
        } else if (at.isBefore(EARLIEST)) {
            errors.add(new FieldError(field, "must not be before " + EARLIEST));
        }
        return at;
    }
}
