package io.tastemaker.merchandising;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.catalog.ProductValidator;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The JSON form of a rule, the one the API answers with and the audit trail keeps:
 * <pre>
 * {"id":7, "name":"Spring campaign", "action":"boost", "match":{"type":"category","value":"Home > Garden"},
 *  "factor":1.5, "position":null, "surfaces":["feed","search"], "startsAt":"2026-03-01T00:00:00Z",
 *  "endsAt":null, "priority":10, "enabled":true, "note":null, "version":2, "createdAt":"…", "updatedAt":"…"}
 * </pre>
 * Reading validates a draft and names every wrong field; {@code id}, {@code version},
 * {@code createdAt} and {@code updatedAt} are the store's and ignored when sent back.
 */
public final class RuleCodec {

    public static final int MAX_NAME = 200;
    public static final int MAX_NOTE = 2000;
    public static final int MAX_MATCH_VALUE = 1000;
    public static final double MAX_BOOST = 100;
    public static final int MAX_POSITION = 100;
    public static final int MAX_PRIORITY = 1000;

    private static final Set<String> FIELDS = Set.of("name", "action", "match", "factor", "position", "surfaces",
            "startsAt", "endsAt", "priority", "enabled", "note");
    private static final Set<String> STORE_FIELDS = Set.of("id", "version", "createdAt", "updatedAt");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RuleCodec() {
    }

    /**
     * A validated draft (id 0, version 0, no timestamps); throws {@link InvalidInputException}
     * with one error per wrong field, named after {@code prefix} (e.g. {@code rules[2]}) if not empty.
     */
    public static Rule read(JsonNode node, String prefix) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(prefix.isEmpty() ? "body" : prefix, "must be a JSON object (a rule)");
        }
        Reader r = new Reader(prefix);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field) && !STORE_FIELDS.contains(field)) {
                r.error(field, "is not a rule field; rules have " + String.join(", ", new TreeSet<>(FIELDS)));
            }
        }
        String name = r.text(node.get("name"), "name", true, MAX_NAME);
        Rule.Action action = r.choice(node.get("action"), "action", Rule.Action::parse, Rule.Action.names());
        Rule.Match match = r.match(node.get("match"));
        Double factor = r.factor(node.get("factor"), action);
        Integer position = r.position(node.get("position"), action);
        Set<String> surfaces = r.surfaces(node.get("surfaces"));
        Instant startsAt = r.instant(node.get("startsAt"), "startsAt");
        Instant endsAt = r.instant(node.get("endsAt"), "endsAt");
        if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
            r.error("endsAt", "must be after startsAt (" + startsAt + ")");
        }
        Integer priority = r.integer(node.get("priority"), "priority", -MAX_PRIORITY, MAX_PRIORITY);
        Boolean enabled = r.bool(node.get("enabled"), "enabled");
        String note = r.text(node.get("note"), "note", false, MAX_NOTE);
        if (!r.errors.isEmpty()) {
            throw new InvalidInputException(r.errors);
        }
        return new Rule(0, name.trim(), action, match, factor, position, surfaces, startsAt, endsAt,
                priority == null ? 0 : priority, enabled == null || enabled, note, 0, null, null);
    }

    public static ObjectNode write(Rule rule) {
        ObjectNode node = NODES.objectNode()
                .put("id", rule.id())
                .put("name", rule.name())
                .put("action", rule.action().jsonName());
        node.putObject("match").put("type", rule.match().type().jsonName()).put("value", rule.match().value());
        node.put("factor", rule.factor());
        node.put("position", rule.position());
        ArrayNode surfaces = node.putArray("surfaces");
        new TreeSet<>(rule.surfaces()).forEach(surfaces::add);
        node.put("startsAt", text(rule.startsAt()));
        node.put("endsAt", text(rule.endsAt()));
        node.put("priority", rule.priority());
        node.put("enabled", rule.enabled());
        node.put("note", rule.note());
        node.put("version", rule.version());
        node.put("createdAt", text(rule.createdAt()));
        node.put("updatedAt", text(rule.updatedAt()));
        return node;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** Collects every field error of one rule. */
    private static final class Reader {
        final String prefix;
        final List<FieldError> errors = new ArrayList<>();

        Reader(String prefix) {
            this.prefix = prefix.isEmpty() ? "" : prefix + ".";
        }

        void error(String field, String message) {
            errors.add(new FieldError(prefix + field, message));
        }

        String text(JsonNode value, String field, boolean required, int max) {
            if (absent(value)) {
                if (required) {
                    error(field, "is required");
                }
                return null;
            }
            if (!value.isTextual()) {
                error(field, "must be a string");
                return null;
            }
            String text = value.asText();
            if (required && text.isBlank()) {
                error(field, "must not be blank");
            } else if (text.length() > max) {
                error(field, "must be at most " + max + " characters, got " + text.length());
            }
            return text;
        }

        <T> T choice(JsonNode value, String field, Function<String, T> parse, String names) {
            if (absent(value)) {
                error(field, "is required: one of " + names);
                return null;
            }
            T parsed = value.isTextual() ? parse.apply(value.asText().trim()) : null;
            if (parsed == null) {
                error(field, "must be one of " + names + ", got " + value);
            }
            return parsed;
        }

        Rule.Match match(JsonNode node) {
            if (absent(node)) {
                error("match", "is required: {\"type\": one of " + Rule.Match.Type.names() + ", \"value\": …}");
                return null;
            }
            if (!node.isObject()) {
                error("match", "must be an object {\"type\", \"value\"}");
                return null;
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                if (!field.equals("type") && !field.equals("value")) {
                    error("match." + field, "is not a match field; a match has type and value");
                }
            }
            Rule.Match.Type type = choice(node.get("type"), "match.type", Rule.Match.Type::parse, Rule.Match.Type.names());
            String value = text(node.get("value"), "match.value", true, MAX_MATCH_VALUE);
            if (type == null || value == null || value.isBlank()) {
                return null;
            }
            String trimmed = value.trim();
            if (type == Rule.Match.Type.PRODUCT && !ProductValidator.ID.matcher(trimmed).matches()) {
                error("match.value", "must be a product id (1-128 of letters, digits, '._:-')");
                return null;
            }
            if (type == Rule.Match.Type.CATEGORY
                    && Arrays.stream(trimmed.split(">", -1)).anyMatch(String::isBlank)) {
                error("match.value", "must be a category name or a path like 'Home > Lighting', without empty levels");
                return null;
            }
            return new Rule.Match(type, trimmed);
        }

        Double factor(JsonNode value, Rule.Action action) {
            boolean adjusts = action == Rule.Action.BOOST || action == Rule.Action.BURY;
            if (absent(value)) {
                if (adjusts) {
                    error("factor", "is required for " + action.jsonName() + ": "
                            + (action == Rule.Action.BOOST ? "above 1, at most " + (int) MAX_BOOST : "between 0 and 1"));
                }
                return null;
            }
            if (!value.isNumber()) {
                error("factor", "must be a number");
                return null;
            }
            double factor = value.asDouble();
            if (action == Rule.Action.BOOST && !(factor > 1 && factor <= MAX_BOOST)) {
                error("factor", "must be above 1 and at most " + (int) MAX_BOOST + " for boost, got " + value);
            } else if (action == Rule.Action.BURY && !(factor > 0 && factor < 1)) {
                error("factor", "must be between 0 and 1 (exclusive) for bury, got " + value);
            } else if (action != null && !adjusts) {
                error("factor", "applies to boost and bury only, not " + action.jsonName());
            }
            return factor;
        }

        Integer position(JsonNode value, Rule.Action action) {
            if (absent(value)) {
                if (action == Rule.Action.PIN) {
                    error("position", "is required for pin: 1 to " + MAX_POSITION);
                }
                return null;
            }
            Integer position = integer(value, "position", 1, MAX_POSITION);
            if (position != null && action != null && action != Rule.Action.PIN) {
                error("position", "applies to pin only, not " + action.jsonName());
            }
            return position;
        }

        Set<String> surfaces(JsonNode node) {
            Set<String> surfaces = new TreeSet<>();
            if (absent(node)) {
                return surfaces;
            }
            if (!node.isArray()) {
                error("surfaces", "must be an array of " + String.join(", ", Rule.SURFACES) + " (empty = all)");
                return surfaces;
            }
            for (int i = 0; i < node.size(); i++) {
                JsonNode s = node.get(i);
                String surface = s.isTextual() ? s.asText().trim().toLowerCase(Locale.ROOT) : null;
                if (surface == null || !Rule.SURFACES.contains(surface)) {
                    error("surfaces[" + i + "]", "must be one of " + String.join(", ", Rule.SURFACES) + ", got " + s);
                } else {
                    surfaces.add(surface);
                }
            }
            return surfaces;
        }

        Instant instant(JsonNode value, String field) {
            if (absent(value)) {
                return null;
            }
            if (value.isTextual()) {
                try {
                    return Instant.parse(value.asText().trim()).truncatedTo(ChronoUnit.MICROS);
                } catch (DateTimeParseException notUtc) {
                    try {
                        return OffsetDateTime.parse(value.asText().trim()).toInstant().truncatedTo(ChronoUnit.MICROS);
                    } catch (DateTimeParseException ignored) {
                        // reported below
                    }
                }
            }
            error(field, "must be an ISO-8601 instant such as 2026-12-01T00:00:00Z, got " + value);
            return null;
        }

        Integer integer(JsonNode value, String field, int min, int max) {
            if (absent(value)) {
                return null;
            }
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                error(field, "must be a whole number from " + min + " to " + max + ", got " + value);
                return null;
            }
            int number = value.asInt();
            if (number < min || number > max) {
                error(field, "must be from " + min + " to " + max + ", got " + number);
                return null;
            }
            return number;
        }

        Boolean bool(JsonNode value, String field) {
            if (absent(value)) {
                return null;
            }
            if (!value.isBoolean()) {
                error(field, "must be true or false, got " + value);
                return null;
            }
            return value.asBoolean();
        }

        private static boolean absent(JsonNode value) {
            return value == null || value.isNull();
        }
    }
}
