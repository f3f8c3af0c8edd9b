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

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one JSON codec for engagement events: the REST body's events and the records of the
 * engagement topic (schema 1), which storefronts with a Kafka producer may write directly:
 * <pre>
 * key: userId
 * {"schema":1, "eventId":"e-1", "type":"pin", "userId":"u-1", "productId":"p-1",
 *  "sessionId":"s-1", "boardId":"b-1", "query":"linen sofa", "occurredAt":"2026-11-23T10:15:30Z",
 *  "recommId":"r-1", "position":3}
 * {"schema":1, "eventId":"e-2", "type":"purchase", "userId":"u-1", "productId":"p-1", "recommId":"r-1",
 *  "position":3, "value":49.90, "currency":"EUR", "occurredAt":"2026-11-23T10:20:00Z"}
 * {"schema":1, "eventId":"e-3", "type":"impression", "userId":"u-1", "productIds":["p-1","p-2"],
 *  "recommId":"r-1", "occurredAt":"2026-11-23T10:15:00Z"}
 * </pre>
 * The attribution fields are additive (schema stays 1): {@code recommId} and {@code position} on
 * every type but hide, {@code value} with {@code currency} on a purchase; an impression lists the
 * products rendered in view in {@code productIds} and needs a recommId.
 * The same rules apply on both paths; "in the future" is judged against the request time on
 * REST and against the record's timestamp on the topic, so a replay judges alike.
 */
@ApplicationScoped
public class EventCodec {

    public static final int SCHEMA = 1;
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    /** A list answer's id, as the API mints it: opaque and URL-safe. */
    public static final Pattern RECOMM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    public static final int MAX_IMPRESSION_PRODUCTS = 100;
    /** Beyond any real order value; keeps a typo (or an attack) from swamping the revenue figures. */
    static final BigDecimal MAX_VALUE = new BigDecimal("1000000000");

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
                .put("userId", e.userId());
        if (e.productId() != null) {
            node.put("productId", e.productId());
        }
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
        EngagementEvent.Attribution a = e.attribution();
        if (a != null) {
            node.put("recommId", a.recommId());
            if (a.position() != null) {
                node.put("position", a.position());
            }
            if (a.value() != null) {
                node.put("value", a.value());
                node.put("currency", a.currency());
            }
            if (a.productIds() != null) {
                a.productIds().forEach(node.putArray("productIds")::add);
            }
        }
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
        boolean impression = type == EventType.IMPRESSION;
        String productId = null;
        if (impression && present(node, "productId")) {
            errors.add(new FieldError(prefix + "productId", "must be left out of an impression: list the products"
                    + " rendered in view in productIds"));
        } else if (!impression) {
            productId = text(errors, prefix, node, "productId", true);
            if (productId != null && !ProductValidator.ID.matcher(productId).matches()) {
                errors.add(new FieldError(prefix + "productId", PRODUCT_ID_RULE));
            }
        }
        String sessionId = text(errors, prefix, node, "sessionId", false);
        String boardId = text(errors, prefix, node, "boardId", false);
        String query = query(errors, prefix, node);
        Instant occurredAt = occurredAt(errors, prefix, node, now);
        EngagementEvent.Attribution attribution = type == null ? null : attribution(errors, prefix, node, type);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new EngagementEvent(eventId, type, userId, productId, sessionId, boardId, query, occurredAt, attribution);
    }

    private static final String PRODUCT_ID_RULE = "must be 1-128 characters of letters, digits and . _ : -, "
            + "starting with a letter or digit";

    /** The attribution fields (recommId, position, value, currency, productIds), each checked against the type. */
    private static EngagementEvent.Attribution attribution(List<FieldError> errors, String prefix, JsonNode node,
                                                           EventType type) {
        String recommId = null;
        if (present(node, "recommId")) {
            JsonNode value = node.get("recommId");
            if (!type.attributable()) {
                errors.add(new FieldError(prefix + "recommId", "must be left out of a " + type.wireName() + " event"));
            } else if (!value.isTextual() || !RECOMM_ID.matcher(value.asText()).matches()) {
                errors.add(new FieldError(prefix + "recommId", "must be the recommId of the list the product was shown in:"
                        + " 1-64 letters, digits, _ and -"));
            } else {
                recommId = value.asText();
            }
        } else if (type == EventType.IMPRESSION) {
            errors.add(new FieldError(prefix + "recommId", "is required: the recommId of the list whose products were seen"));
        }
        Integer position = null;
        if (present(node, "position")) {
            JsonNode value = node.get("position");
            if (!type.attributable() || type == EventType.IMPRESSION) {
                errors.add(new FieldError(prefix + "position", "must be left out of a " + type.wireName() + " event"));
            } else if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
                errors.add(new FieldError(prefix + "position", "must be the item's 1-based position in the list:"
                        + " an integer of at least 1"));
            } else {
                position = value.asInt();
            }
        }
        BigDecimal amount = null;
        String currency = null;
        boolean hasValue = present(node, "value");
        boolean hasCurrency = present(node, "currency");
        if ((hasValue || hasCurrency) && type != EventType.PURCHASE) {
            errors.add(new FieldError(prefix + (hasValue ? "value" : "currency"), "only a purchase carries a value"));
        } else if (hasValue || hasCurrency) {
            JsonNode value = node.get("value");
            if (!hasValue) {
                errors.add(new FieldError(prefix + "value", "is required with currency: the purchase's value, a number ≥ 0"));
            } else if (!value.isNumber() || value.decimalValue().signum() < 0 || value.decimalValue().compareTo(MAX_VALUE) > 0) {
                errors.add(new FieldError(prefix + "value", "must be the purchase's value: a number from 0 to " + MAX_VALUE
                        .toPlainString()));
            } else {
                amount = value.decimalValue();
            }
            JsonNode code = node.get("currency");
            if (!hasCurrency) {
                errors.add(new FieldError(prefix + "currency", "is required with value: an ISO 4217 code such as EUR"));
            } else if (!code.isTextual() || !CURRENCY.matcher(code.asText()).matches()) {
                errors.add(new FieldError(prefix + "currency", "must be an ISO 4217 code: three upper-case letters such as EUR"));
            } else {
                currency = code.asText();
            }
        }
        List<String> productIds = null;
        if (type == EventType.IMPRESSION) {
            productIds = impressionProducts(errors, prefix, node);
        } else if (present(node, "productIds")) {
            errors.add(new FieldError(prefix + "productIds", "only an impression lists productIds; a "
                    + type.wireName() + " event names one productId"));
        }
        return recommId == null ? null : new EngagementEvent.Attribution(recommId, position, amount, currency, productIds);
    }

    private static List<String> impressionProducts(List<FieldError> errors, String prefix, JsonNode node) {
        JsonNode array = node.get("productIds");
        String field = prefix + "productIds";
        if (array == null || array.isNull()) {
            errors.add(new FieldError(field, "is required: the products of the list rendered in view"));
            return null;
        }
        if (!array.isArray() || array.isEmpty() || array.size() > MAX_IMPRESSION_PRODUCTS) {
            errors.add(new FieldError(field, "must be an array of 1 to " + MAX_IMPRESSION_PRODUCTS + " product ids"));
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode id = array.get(i);
            if (!id.isTextual() || !ProductValidator.ID.matcher(id.asText()).matches()) {
                errors.add(new FieldError(field + "[" + i + "]", PRODUCT_ID_RULE));
            } else {
                ids.add(id.asText());
            }
        }
        return List.copyOf(ids);
    }

    private static boolean present(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
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
