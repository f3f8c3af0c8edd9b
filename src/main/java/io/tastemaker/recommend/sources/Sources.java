package io.tastemaker.recommend.sources;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.resilience.RequestBudget;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The candidate sources over one model version's index, with that version's caches, and the
 * anchors they start from. Plain Java over ports (the vector index, the co-engagement graph, the
 * shoppers' histories, popularity), so the service and the offline evaluation retrieve with the same code.
 */
public final class Sources {

    /** How a degraded answer names the vector look-ups of anchors and candidates. */
    public static final String VECTORS = "vectors";

    private final VectorIndex index;
    private final Map<Source, CandidateSource> bySource = new EnumMap<>(Source.class);
    private final SimilarityCompletion completion;

    /**
     * @param embedder       embeds the shopper's words in this version's space (null offline, where
     *                       nothing is searched by words)
     * @param queryCacheSize how many distinct queries' vectors to keep: storefronts repeat popular
     *                       queries, and embedding one costs milliseconds of CPU
     */
    public Sources(VectorIndex index, CoEngagementGraph coEngagement, Popularity popularity,
                   Function<String, float[]> embedder, int queryCacheSize) {
        this(index, coEngagement, ShopperHistories.NONE, popularity, NewArrivals.NONE, NeighbourLists.NONE, embedder,
                queryCacheSize);
    }

    /**
     * @param newArrivals what fills a short list ({@link #toppedUp})
     * @param neighbours  the products' neighbour lists kept ahead of requests for this collection
     */
    public Sources(VectorIndex index, CoEngagementGraph coEngagement, ShopperHistories histories, Popularity popularity,
                   NewArrivals newArrivals, NeighbourLists neighbours, Function<String, float[]> embedder,
                   int queryCacheSize) {
        this.index = index;
        Cache<String, float[]> queryVectors = Caffeine.newBuilder().maximumSize(queryCacheSize).build();
        Function<String, float[]> cached = embedder == null ? words -> null
                : words -> queryVectors.get(words.toLowerCase(), key -> embedder.apply(words));
        List.of(new TasteSource(index), new QuerySource(index, cached), new SimilarSource(index, neighbours),
                new CoEngagementSource(coEngagement), new LikeMindedSource(histories), new TrendingSource(popularity),
                new FreshSource(newArrivals))
                .forEach(s -> bySource.put(s.source(), s));
        this.completion = new SimilarityCompletion(index);
    }

    /** The offline evaluation's sources: no words to embed. */
    public Sources(VectorIndex index, CoEngagementGraph coEngagement, ShopperHistories histories, Popularity popularity) {
        this(index, coEngagement, histories, popularity, NewArrivals.NONE, NeighbourLists.NONE, null, 1);
    }

    /**
     * One source's candidates. During a request ({@link RequestBudget#active()}) a source that
     * fails or runs out of time (its dependency down, hung, or its breaker open) answers nothing
     * and is named degraded; its waits were already cut to the request's deadline, so no source
     * is waited on past it. Offline, failures propagate.
     */
    public Retrieved ask(Source source, Subject subject, VectorFilter allowed, int limit) {
        try {
            return bySource.get(source).retrieve(subject, allowed, limit);
        } catch (RuntimeException e) {
            degrade(source.key(), e);
            return Retrieved.none(source);
        }
    }

    /** See {@link SimilarityCompletion}; unchanged (no records read) when the vector store cannot answer. */
    public SimilarityCompletion.Completed completeSimilarity(List<Retrieved> retrieved, List<Anchor> anchors) {
        try {
            return completion.complete(retrieved, anchors);
        } catch (RuntimeException e) {
            degrade(VECTORS, e);
            return new SimilarityCompletion.Completed(retrieved, Map.of());
        }
    }

    /**
     * The shopper's most recent distinct items, newest first, weighted {@code decay^age}; the
     * anchors of "because you pinned X" and of the item-to-item sources.
     */
    public List<Anchor> recentAnchors(TasteProfile profile, int max, double decay) {
        List<TasteProfile.Recent> recent = profile.recentDistinct(max);
        Map<String, VectorRecord> known = recent.isEmpty() ? Map.of() : lookUp(recent.stream()
                .map(TasteProfile.Recent::productId).toList());
        if (known == null) {
            known = Map.of(); // anchors by id only: co-engagement still starts from them
        }
        List<Anchor> anchors = new ArrayList<>(recent.size());
        double weight = 1;
        for (TasteProfile.Recent r : recent) {
            VectorRecord record = known.get(r.productId());
            anchors.add(new Anchor(r.productId(), record == null ? null : record.payload().title(),
                    record == null ? null : record.vector(), weight, Reasons.verb(r.type())));
            weight *= decay;
        }
        return anchors;
    }

    /**
     * The product on screen as an anchor; empty when the index does not know it. When the vector
     * store cannot answer during a request, an anchor with only its id (co-engagement still
     * starts from it).
     */
    public Optional<Anchor> productAnchor(String productId) {
        Map<String, VectorRecord> found = lookUp(List.of(productId));
        if (found == null) {
            return Optional.of(new Anchor(productId, null, null, 1, null));
        }
        VectorRecord record = found.get(productId);
        return record == null ? Optional.empty()
                : Optional.of(new Anchor(productId, record.payload().title(), record.vector(), 1, null));
    }

    /** The records of {@code ids}; null during a request when the vector store cannot answer (named degraded). */
    private Map<String, VectorRecord> lookUp(List<String> ids) {
        try {
            return index.get(ids);
        } catch (RuntimeException e) {
            degrade(VECTORS, e);
            return null;
        }
    }

    private static void degrade(String step, RuntimeException failure) {
        RequestBudget budget = RequestBudget.current();
        if (!budget.active()) {
            throw failure;
        }
        budget.degrade(step);
    }

    /**
     * {@code requested} without what the shopper must not be shown: besides the request's own
     * exclusions, what they hid or bought ({@code profile} null if unknown) and the anchors.
     */
    public static VectorFilter allowed(VectorFilter requested, TasteProfile profile, List<Anchor> anchors) {
        Set<String> excluded = new HashSet<>(requested.excludeIds());
        if (profile != null) {
            excluded.addAll(profile.excluded());
        }
        anchors.forEach(a -> excluded.add(a.productId()));
        return requested.excluding(excluded);
    }

    /** Asks each of {@code asked} that {@code uses} admits, in that order. */
    public List<Retrieved> ask(List<Source> asked, Predicate<Source> uses, Subject subject,
                               VectorFilter allowed, int limit) {
        List<Retrieved> lists = new ArrayList<>(asked.size());
        for (Source source : asked) {
            if (uses.test(source)) {
                lists.add(ask(source, subject, allowed, limit));
            }
        }
        return lists;
    }

    /**
     * {@code lists} topped up with new arrivals ({@link Source#FRESH}) when, together, they propose
     * fewer than {@code depth} distinct products: the fallback that keeps a list from being empty
     * or short while the catalogue has products. Asked only then, and only for products the other
     * sources did not propose, so a list they fill is unchanged and what they found keeps their reasons.
     */
    public List<Retrieved> toppedUp(List<Retrieved> lists, Subject subject, VectorFilter allowed, int depth) {
        Set<String> proposed = new HashSet<>();
        lists.forEach(r -> r.candidates().forEach(c -> proposed.add(c.productId())));
        if (proposed.size() >= depth) {
            return lists;
        }
        Retrieved fresh = ask(Source.FRESH, subject, allowed, depth);
        List<Retrieved> topped = new ArrayList<>(lists);
        topped.add(new Retrieved(Source.FRESH, fresh.candidates().stream()
                .filter(c -> !proposed.contains(c.productId())).limit(depth - proposed.size()).toList()));
        return topped;
    }
}
