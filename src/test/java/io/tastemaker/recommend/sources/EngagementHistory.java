package io.tastemaker.recommend.sources;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A small engagement history whose co-engagement links and popularity are worked out by hand in
 * the port contracts: five shoppers' purchases, each shopper's in order, all at one instant (so
 * that time decay weighs every product alike). Product ids are {@code <prefix>-a} ...
 * {@code <prefix>-j}, fresh per run so that an adapter's other data never mix in; they differ
 * only in a last lower-case letter, so SQL and Java agree on their order.
 */
public record EngagementHistory(String prefix) {

    public static EngagementHistory fresh(String kind) {
        return new EngagementHistory(kind + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** The id of product {@code letter} (a ... j). */
    public String id(String letter) {
        return prefix + "-" + letter;
    }

    public List<String> products() {
        return Stream.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j").map(this::id).toList();
    }

    /** Each shopper's purchases, in the order they made them. */
    public List<List<String>> shoppers() {
        return Stream.of("abcd", "abe", "bac", "acab", "fghij")
                .map(s -> s.chars().mapToObj(c -> id(String.valueOf((char) c))).toList())
                .toList();
    }
}
