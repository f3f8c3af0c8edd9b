package io.tastemaker.recommend;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.sources.Candidate;
import io.tastemaker.recommend.sources.CoEngagementGraph;
import io.tastemaker.recommend.sources.Popularity;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorHit;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The candidate sources: each asks one signal for products and scores them in its own terms.
 * Plain Java over three ports (the vector index, the co-engagement graph, popularity), so the
 * service and the offline evaluation retrieve with the same code.
 */
public final class CandidateSources {

    /**
     * A product to start from: the one on screen, or one the shopper engaged with recently
     * ({@code weight} falls with age). {@code vector} and {@code title} are null when the index
     * does not know the product.
     */
    public record Anchor(String productId, String title, float[] vector, double weight, String verb) {

        String name() {
            return title == null ? "an item you " + verb : title;
        }

        /** The product on screen: "often chosen next after X" reads better than "because you viewed X". */
        boolean onScreen() {
            return verb == null;
        }
    }

    /** Beyond this many exclusions an anchor's neighbours are searched afresh (a long purchase history). */
    static final int SPARE = 50;

    private final VectorIndex index;
    private final CoEngagementGraph coEngagement;
    private final Popularity popularity;
    private final Cache<NeighbourKey, List<VectorHit>> neighbourLists = Caffeine.newBuilder()
            .maximumSize(20_000)
            .expireAfterWrite(Duration.ofMinutes(1))
            .build();

    public CandidateSources(VectorIndex index, CoEngagementGraph coEngagement, Popularity popularity) {
        this.index = index;
        this.coEngagement = coEngagement;
        this.popularity = popularity;
    }

    /**
     * The shopper's most recent distinct items, newest first, weighted {@code decay^age}; the
     * anchors of "because you pinned X" and of the item-to-item sources.
     */
    public List<Anchor> recentAnchors(TasteProfile profile, int max, double decay) {
        Map<String, String> verbs = new LinkedHashMap<>();
        for (TasteProfile.Recent r : profile.recent()) {
            if (verbs.size() == max) {
                break;
            }
            verbs.putIfAbsent(r.productId(), verb(r.type()));
        }
        Map<String, VectorRecord> known = verbs.isEmpty() ? Map.of() : index.get(verbs.keySet());
        List<Anchor> anchors = new ArrayList<>(verbs.size());
        double weight = 1;
        for (Map.Entry<String, String> v : verbs.entrySet()) {
            VectorRecord record = known.get(v.getKey());
            anchors.add(new Anchor(v.getKey(), record == null ? null : record.payload().title(),
                    record == null ? null : record.vector(), weight, v.getValue()));
            weight *= decay;
        }
        return anchors;
    }

    /** The product on screen as the only anchor; empty when the index does not know it. */
    public List<Anchor> productAnchor(String productId) {
        VectorRecord record = index.get(List.of(productId)).get(productId);
        return record == null ? List.of()
                : List.of(new Anchor(productId, record.payload().title(), record.vector(), 1, null));
    }

    /**
     * The home feed's retrieval, shared by the service and the offline evaluation: the taste
     * profile's neighbours, products like and after the shopper's recent items, and trending
     * (the only source for a shopper without history). Sources with no weight are not asked.
     * {@code filter} must already exclude what the shopper must not see again.
     */
    public List<Retrieved> forFeed(TasteProfile profile, List<Anchor> anchors, Weights weights, VectorFilter filter,
                                   int limit) {
        List<Retrieved> retrieved = new ArrayList<>(4);
        if (profile != null && weights.uses(Source.PROFILE)) {
            retrieved.add(profile(profile.direction(), tasteReason(profile), filter, limit));
        }
        if (weights.uses(Source.SIMILAR)) {
            retrieved.add(similar(anchors, filter, limit));
        }
        if (weights.uses(Source.CO_ENGAGEMENT)) {
            retrieved.add(coEngagement(anchors, filter.excludeIds(), limit));
        }
        if (weights.uses(Source.TRENDING) || profile == null || profile.direction() == null) {
            retrieved.add(trending(filter, limit));
        }
        completeSimilar(retrieved, anchors);
        return retrieved;
    }

    /**
     * Completes the "similar" list among {@code retrieved} in place: every candidate of every
     * source is scored by its cosine to each anchor, weighted by the anchor and summed. The
     * anchors' nearest-neighbour lists alone leave two gaps: a product near one anchor gets no
     * credit for looking like the others, and a product another source found (shoppers often
     * choose it next) but just beyond the nearest {@code limit} gets none at all, so ties among
     * co-engagement counts stay unbroken. Scoring the union exactly closes both, consistently.
     * Measured on Beauty (README, Quality), most useful with a fine-tuned model whose cosines
     * already encode co-engagement. Costs one index look-up of the candidates' vectors.
     */
    public void completeSimilar(List<Retrieved> retrieved, List<Anchor> anchors) {
        List<Anchor> withVectors = anchors.stream().filter(a -> a.vector() != null).toList();
        int at = -1;
        for (int i = 0; i < retrieved.size(); i++) {
            if (retrieved.get(i).source() == Source.SIMILAR) {
                at = i;
            }
        }
        if (at < 0 || withVectors.isEmpty()) {
            return;
        }
        Set<String> candidates = new java.util.LinkedHashSet<>();
        retrieved.forEach(r -> r.candidates().forEach(c -> candidates.add(c.productId())));
        AnchoredScores scores = new AnchoredScores();
        index.get(candidates).forEach((id, record) -> {
            for (Anchor anchor : withVectors) {
                scores.add(id, anchor, Math.max(0, cosine(anchor.vector(), record.vector())));
            }
        });
        retrieved.set(at, scores.top(Source.SIMILAR, candidates.size(), CandidateSources::likeReason));
    }

    /** What a shopper must not be shown: the request's exclusions, what they hid or bought, the anchors. */
    public static Set<String> excluded(Set<String> requested, TasteProfile profile, List<Anchor> anchors) {
        Set<String> excluded = new java.util.HashSet<>(requested);
        if (profile != null) {
            excluded.addAll(profile.excluded());
        }
        anchors.forEach(a -> excluded.add(a.productId()));
        return excluded;
    }

    /** "close to your taste in Lamps and Rugs". */
    static String tasteReason(TasteProfile profile) {
        List<String> liked = TasteProfile.strongest(profile.categories(), 2).stream()
                .map(e -> CategoryNames.leaf(e.getKey())).toList();
        return liked.isEmpty() ? "close to what you engaged with" : "close to your taste in " + String.join(" and ", liked);
    }

    public Retrieved profile(float[] direction, String because, VectorFilter filter, int limit) {
        return nearest(Source.PROFILE, direction, because, filter, limit);
    }

    /**
     * The shopper's taste among candidates another source found (search matches): each scored by
     * its cosine to the taste direction, so the taste reorders the matches without adding others.
     */
    public Retrieved profileAmong(TasteProfile profile, Retrieved found) {
        float[] taste = profile.direction();
        if (taste == null || found.candidates().isEmpty()) {
            return Retrieved.none(Source.PROFILE);
        }
        Map<String, VectorRecord> records = index.get(found.candidates().stream().map(Candidate::productId).toList());
        String because = tasteReason(profile);
        List<Candidate> scored = new ArrayList<>(records.size());
        for (Candidate c : found.candidates()) {
            VectorRecord r = records.get(c.productId());
            if (r != null) {
                scored.add(new Candidate(c.productId(), cosine(taste, r.vector()), because));
            }
        }
        scored.sort(java.util.Comparator.comparingDouble(Candidate::score).reversed());
        return new Retrieved(Source.PROFILE, scored);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    public Retrieved query(float[] vector, String because, VectorFilter filter, int limit) {
        return nearest(Source.QUERY, vector, because, filter, limit);
    }

    /**
     * Products nearest to the anchors, each anchor's cosine weighted by the anchor's weight and
     * summed: close to several recent items beats close to one.
     */
    public Retrieved similar(List<Anchor> anchors, VectorFilter filter, int limit) {
        AnchoredScores scores = new AnchoredScores();
        for (Anchor anchor : anchors) {
            if (anchor.vector() != null) {
                for (VectorHit hit : neighbours(anchor, filter, limit)) {
                    scores.add(hit.id(), anchor, Math.max(0, hit.score()));
                }
            }
        }
        return scores.top(Source.SIMILAR, limit, CandidateSources::likeReason);
    }

    private static String likeReason(Anchor anchor) {
        return anchor.onScreen() ? "similar to " + anchor.name() : "like " + anchor.name() + ", which you " + anchor.verb();
    }

    /**
     * An anchor's nearest neighbours. Without a field filter they do not depend on the shopper,
     * the same popular products anchor many feeds, and a 100-deep approximate search is the
     * costliest step of a feed: the unfiltered list of {@code limit + exclusions} is kept a
     * minute and the exclusions dropped from it, which is what the index does for a few
     * exclusions anyway (same results). Products changed since are corrected by the ranking's
     * look-up of every candidate.
     */
    private List<VectorHit> neighbours(Anchor anchor, VectorFilter filter, int limit) {
        if (filter.restrictsPayload() || filter.excludeIds().size() > SPARE) {
            return index.search(anchor.vector(), filter, limit);
        }
        int k = limit + filter.excludeIds().size();
        List<VectorHit> all = neighbourLists.get(new NeighbourKey(anchor.productId(), k),
                key -> index.search(anchor.vector(), VectorFilter.NONE, k));
        List<VectorHit> kept = new ArrayList<>(limit);
        for (VectorHit hit : all) {
            if (kept.size() == limit) {
                break;
            }
            if (!filter.excludeIds().contains(hit.id())) {
                kept.add(hit);
            }
        }
        return kept;
    }

    private record NeighbourKey(String productId, int k) {
    }

    /**
     * What shoppers engaged with after the anchors: link weights times anchor weights, summed.
     * Not filtered here (links carry no product fields): the blend filters after fusion.
     */
    public Retrieved coEngagement(List<Anchor> anchors, Set<String> excluded, int limit) {
        if (anchors.isEmpty()) {
            return Retrieved.none(Source.CO_ENGAGEMENT);
        }
        Map<String, Anchor> byId = new HashMap<>();
        anchors.forEach(a -> byId.put(a.productId(), a));
        AnchoredScores scores = new AnchoredScores();
        coEngagement.next(byId.keySet(), limit).forEach((from, next) -> {
            for (Candidate c : next) {
                if (!excluded.contains(c.productId()) && !byId.containsKey(c.productId())) {
                    scores.add(c.productId(), byId.get(from), c.score());
                }
            }
        });
        return scores.top(Source.CO_ENGAGEMENT, limit,
                a -> a.onScreen() ? "often chosen after " + a.title()
                        : a.title() == null ? "often chosen next by shoppers" : "because you " + a.verb() + " " + a.title());
    }

    /**
     * Scores summed over anchors ({@code anchor weight × score}), remembering for each product the
     * anchor that contributed most: the one its reason names.
     */
    private static final class AnchoredScores {
        private final Map<String, Double> sums = new HashMap<>();
        private final Map<String, Double> bestValue = new HashMap<>();
        private final Map<String, Anchor> bestAnchor = new HashMap<>();

        void add(String productId, Anchor anchor, double score) {
            double value = anchor.weight() * score;
            sums.merge(productId, value, Double::sum);
            if (value > bestValue.getOrDefault(productId, 0.0)) {
                bestValue.put(productId, value);
                bestAnchor.put(productId, anchor);
            }
        }

        Retrieved top(Source source, int limit, java.util.function.Function<Anchor, String> because) {
            return new Retrieved(source, sums.entrySet().stream()
                    .filter(e -> bestAnchor.containsKey(e.getKey()))
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry::getKey))
                    .limit(limit)
                    .map(e -> new Candidate(e.getKey(), e.getValue(), because.apply(bestAnchor.get(e.getKey()))))
                    .toList());
        }
    }

    public Retrieved trending(VectorFilter filter, int limit) {
        return new Retrieved(Source.TRENDING, popularity.top(filter, limit));
    }

    private Retrieved nearest(Source source, float[] vector, String because, VectorFilter filter, int limit) {
        if (vector == null) {
            return Retrieved.none(source);
        }
        List<Candidate> candidates = new ArrayList<>(limit);
        for (VectorHit hit : index.search(vector, filter, limit)) {
            candidates.add(new Candidate(hit.id(), hit.score(), because));
        }
        return new Retrieved(source, candidates);
    }

    static String verb(String type) {
        return switch (type) {
            case "pin" -> "pinned";
            case "click" -> "clicked";
            case "add_to_cart" -> "added to your cart";
            case "purchase" -> "bought";
            default -> "viewed";
        };
    }
}
