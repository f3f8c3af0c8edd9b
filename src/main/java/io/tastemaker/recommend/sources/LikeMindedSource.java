package io.tastemaker.recommend.sources;

import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.vectors.VectorFilter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * "Shoppers like you": what the shoppers whose recent items overlap the shopper's engaged with
 * (a session-based nearest-neighbour recommender over the profiles' recent items). Co-engagement
 * links one item to what follows it; this compares whole recent histories, so it finds what
 * follows a combination of items no single link holds. Measured before it was built, on Amazon
 * Beauty's validation targets, it added +5.5 % HR@10 to co-engagement alone (docs/models-and-quality.md).
 * <ol>
 *   <li>The shopper's {@link #SESSION} most recent distinct items, the newest weighted 1, the
 *   next 1/2, 1/3...</li>
 *   <li>Another shopper's similarity: the sum, over the items they share, of that weight divided
 *   by {@code ln(2 + the item's shoppers)} (sharing a best-seller says little); each item's
 *   {@link #SHOPPERS_PER_ITEM} most recent shoppers are compared, the {@link #NEIGHBOURS} most
 *   similar kept.</li>
 *   <li>A product's score: the sum of its neighbours' similarities, each divided by the square
 *   root of that neighbour's history length (one who engaged with everything says less about
 *   each item), and halved where the neighbour engaged with it before their last shared item
 *   (what came after the shared taste is what the shopper is likely to want next).</li>
 * </ol>
 * The reason names the shared item that contributed most to the neighbours behind a product.
 */
final class LikeMindedSource implements CandidateSource {

    /** The shopper's recent distinct items compared (the screening's choice, not searched). */
    static final int SESSION = 10;
    /** Each shared item's most recent shoppers compared: bounds a request's work for a best-seller. */
    static final int SHOPPERS_PER_ITEM = 500;
    /** The most similar shoppers whose histories are read. */
    static final int NEIGHBOURS = 100;
    /** How much an item a neighbour engaged with before the shared ones counts of one after. */
    static final double BEFORE = 0.5;

    private final ShopperHistories histories;

    LikeMindedSource(ShopperHistories histories) {
        this.histories = histories;
    }

    @Override
    public Source source() {
        return Source.LIKE_MINDED;
    }

    /** Another shopper: how similar, through which shared item most. */
    private static final class Neighbour implements Comparable<Neighbour> {
        final String shopperId;
        double similarity;
        double strongest;
        Anchor through;

        Neighbour(String shopperId) {
            this.shopperId = shopperId;
        }

        void add(double value, Anchor item) {
            similarity += value;
            if (value > strongest) {
                strongest = value;
                through = item;
            }
        }

        @Override
        public int compareTo(Neighbour other) {
            int bySimilarity = Double.compare(other.similarity, similarity);
            return bySimilarity != 0 ? bySimilarity : shopperId.compareTo(other.shopperId);
        }
    }

    /**
     * The {@link #NEIGHBOURS} most similar, most similar first (ties by id): a bounded heap whose head
     * is the least similar kept, so of the up to {@code SESSION × SHOPPERS_PER_ITEM} shoppers found
     * only the kept ones are sorted.
     */
    private static List<Neighbour> closest(Collection<Neighbour> all) {
        PriorityQueue<Neighbour> kept = new PriorityQueue<>(NEIGHBOURS + 1, Comparator.reverseOrder());
        for (Neighbour n : all) {
            if (kept.size() < NEIGHBOURS) {
                kept.add(n);
            } else if (n.compareTo(kept.peek()) < 0) {
                kept.poll();
                kept.add(n);
            }
        }
        List<Neighbour> closest = new ArrayList<>(kept);
        closest.sort(null);
        return closest;
    }

    @Override
    public Retrieved retrieve(Subject subject, VectorFilter allowed, int limit) {
        TasteProfile profile = subject.profile();
        List<TasteProfile.Recent> session = profile == null ? List.of() : profile.recentDistinct(SESSION);
        if (session.isEmpty()) {
            return Retrieved.none(Source.LIKE_MINDED);
        }
        // the session's items as anchors of weight 1 (the weights are the positions'), named as the
        // feed names its anchors where it has their titles
        Map<String, Anchor> named = new HashMap<>();
        subject.anchors().forEach(a -> named.put(a.productId(), a));
        Map<String, Anchor> items = new HashMap<>();
        Map<String, Double> positionWeight = new HashMap<>();
        for (int i = 0; i < session.size(); i++) {
            TasteProfile.Recent r = session.get(i);
            Anchor a = named.get(r.productId());
            items.put(r.productId(), new Anchor(r.productId(), a == null ? null : a.title(), null, 1,
                    Reasons.verb(r.type())));
            positionWeight.put(r.productId(), 1.0 / (1 + i));
        }

        Map<String, Neighbour> neighbours = new HashMap<>();
        histories.shoppersOf(items.keySet(), SHOPPERS_PER_ITEM).forEach((item, shoppers) -> {
            double value = positionWeight.get(item) / Math.log(2 + shoppers.total());
            for (String shopper : shoppers.recent()) {
                if (!shopper.equals(profile.userId())) {
                    neighbours.computeIfAbsent(shopper, Neighbour::new).add(value, items.get(item));
                }
            }
        });
        if (neighbours.isEmpty()) {
            return Retrieved.none(Source.LIKE_MINDED);
        }
        List<Neighbour> closest = closest(neighbours.values());

        Map<String, List<String>> read = histories.historiesOf(closest.stream().map(n -> n.shopperId).toList());
        Set<String> excluded = allowed.excludeIds();
        AnchoredScores scores = new AnchoredScores();
        for (Neighbour n : closest) {
            List<String> history = read.get(n.shopperId);
            if (history == null || history.isEmpty()) {
                continue; // erased or forgotten since
            }
            int lastShared = -1;
            for (int i = 0; i < history.size(); i++) {
                if (items.containsKey(history.get(i))) {
                    lastShared = i;
                }
            }
            double perItem = n.similarity / Math.sqrt(history.size());
            for (int i = 0; i < history.size(); i++) {
                String product = history.get(i);
                if (!items.containsKey(product) && !excluded.contains(product)) {
                    scores.add(product, n.through, i > lastShared ? perItem : BEFORE * perItem);
                }
            }
        }
        return scores.top(Source.LIKE_MINDED, limit, Reasons::alike);
    }
}
