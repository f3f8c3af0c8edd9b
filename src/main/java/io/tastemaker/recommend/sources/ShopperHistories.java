package io.tastemaker.recommend.sources;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Port: who engaged with what, recently. Product to shoppers and shopper to products, as the
 * shoppers' taste profiles keep them ({@link io.tastemaker.profiles.TasteProfile#recent()}): the
 * data of "shoppers like you" ({@link LikeMindedSource}). An erased shopper is in neither direction.
 */
public interface ShopperHistories {

    /** Nothing known: the like-minded source proposes nothing. */
    ShopperHistories NONE = new ShopperHistories() {
        @Override
        public Map<String, Shoppers> shoppersOf(Collection<String> productIds, int perProduct) {
            return Map.of();
        }

        @Override
        public Map<String, List<String>> historiesOf(Collection<String> shopperIds) {
            return Map.of();
        }
    };

    /**
     * A product's shoppers: the most recent ones ({@code recent}, newest first, at most what was
     * asked for) and how many there are in all ({@code total}, at least as many), which makes a
     * popular product weak evidence of a shared taste.
     */
    record Shoppers(List<String> recent, int total) {

        public Shoppers {
            recent = List.copyOf(recent);
        }

        /** The first {@code limit} of {@code all} (newest first), counting them all. */
        public static Shoppers newestOf(List<String> all, int limit) {
            return new Shoppers(all.subList(0, Math.min(limit, all.size())), all.size());
        }
    }

    /** For each of {@code productIds} that any shopper engaged with, its shoppers. */
    Map<String, Shoppers> shoppersOf(Collection<String> productIds, int perProduct);

    /** For each of {@code shopperIds} still known, their recent distinct products, oldest first. */
    Map<String, List<String>> historiesOf(Collection<String> shopperIds);
}
