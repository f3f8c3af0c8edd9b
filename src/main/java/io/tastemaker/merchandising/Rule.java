package io.tastemaker.merchandising;

import io.tastemaker.vectors.ProductPayload;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A merchandising rule: what it does ({@code action}), to which products ({@code match}), where
 * ({@code surfaces}, empty = every surface) and when ({@code startsAt} inclusive, {@code endsAt}
 * exclusive, either open). {@code factor} is set for boost and bury only, {@code position}
 * (1-based over the whole ranked list) for pin only. {@code version} counts the rule's own
 * revisions (1 when created); {@code id}, {@code version}, {@code createdAt} and {@code updatedAt}
 * are 0 or null on a draft that was never stored.
 */
public record Rule(
        long id,
        String name,
        Action action,
        Match match,
        Double factor,
        Integer position,
        Set<String> surfaces,
        Instant startsAt,
        Instant endsAt,
        int priority,
        boolean enabled,
        String note,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    /** Where rules can apply, as recommendation requests name their surface. */
    public static final List<String> SURFACES = List.of("feed", "similar", "search", "assistant");

    /** Guards the engine's assumptions; {@link RuleCodec} explains to clients what is wrong before this. */
    public Rule {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(match, "match");
        if ((action == Action.BOOST || action == Action.BURY) && factor == null) {
            throw new IllegalArgumentException(action.jsonName() + " needs a factor");
        }
        if (action == Action.PIN && (position == null || position < 1)) {
            throw new IllegalArgumentException("pin needs a position from 1");
        }
        surfaces = surfaces == null ? Set.of() : Set.copyOf(surfaces);
    }

    public enum Action {
        BOOST, BURY, PIN, BLOCK;

        /** As the API writes it: {@code boost}. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The constant named {@code name} (case-insensitive), or null. */
        public static Action parse(String name) {
            return Arrays.stream(values()).filter(a -> a.jsonName().equalsIgnoreCase(name)).findFirst().orElse(null);
        }

        public static String names() {
            return Arrays.stream(values()).map(Action::jsonName).collect(Collectors.joining(", "));
        }
    }

    /** Which products a rule touches. */
    public record Match(Type type, String value) {

        public Match {
            Objects.requireNonNull(type, "match.type");
            Objects.requireNonNull(value, "match.value");
        }

        public enum Type {
            /** exactly this product id */
            PRODUCT,
            /** the brand, trimmed and case-insensitive */
            BRAND,
            /** a category level name or a path prefix ("Lighting", "Home > Lighting"), case-insensitive */
            CATEGORY,
            /** one of the product's tags, case-insensitive */
            TAG;

            public String jsonName() {
                return name().toLowerCase(Locale.ROOT);
            }

            public static Type parse(String name) {
                return Arrays.stream(values()).filter(t -> t.jsonName().equalsIgnoreCase(name)).findFirst().orElse(null);
            }

            public static String names() {
                return Arrays.stream(values()).map(Type::jsonName).collect(Collectors.joining(", "));
            }
        }

        /**
         * The value as products' keys are compared with it: the id itself for products; for the
         * others trimmed and lower-cased, and a category path re-joined as "home > lighting".
         */
        public String key() {
            return switch (type) {
                case PRODUCT -> value;
                case BRAND, TAG -> ProductPayload.normalize(value);
                case CATEGORY -> Arrays.stream(value.split(">")).map(ProductPayload::normalize)
                        .collect(Collectors.joining(" > "));
            };
        }
    }

    /** Enabled and inside its time window at {@code now}. */
    public boolean activeAt(Instant now) {
        return enabled
                && (startsAt == null || !now.isBefore(startsAt))
                && (endsAt == null || now.isBefore(endsAt));
    }

    /** Scoped to {@code surface} (a rule without surfaces applies everywhere). */
    public boolean appliesTo(String surface) {
        return surfaces.isEmpty() || (surface != null && surfaces.contains(surface.toLowerCase(Locale.ROOT)));
    }

    /**
     * Which of two rules wins a conflict: higher priority, then the more recently updated, then
     * the lower id, so the outcome never depends on the order rules were listed in.
     */
    public static final Comparator<Rule> PRECEDENCE = Comparator.comparingInt(Rule::priority).reversed()
            .thenComparing(Rule::updatedAt, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparingLong(Rule::id);

    /** The same rule with the fields the store owns. */
    public Rule stored(long id, long version, Instant createdAt, Instant updatedAt) {
        return new Rule(id, name, action, match, factor, position, surfaces, startsAt, endsAt, priority, enabled, note,
                version, createdAt, updatedAt);
    }
}
