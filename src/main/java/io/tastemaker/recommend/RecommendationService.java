package io.tastemaker.recommend;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.embedding.EmbeddingConfig;
import io.tastemaker.engagement.TrendingReader;
import io.tastemaker.profiles.ProfileService;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorHit;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Answers the home feed, "more like this" and semantic search from the vector index, taste
 * profiles and trending. Blends, merchandising and reranking build on this with their own issues.
 */
@ApplicationScoped
public class RecommendationService {

    private final ActiveModel model;
    private final VectorIndex index;
    private final ProfileService profiles;
    private final TrendingReader trending;
    /** Storefronts repeat popular queries; embedding one costs milliseconds of CPU. */
    private final Cache<String, float[]> queryVectors;

    RecommendationService(ActiveModel model, VectorIndex index, ProfileService profiles, TrendingReader trending,
                          EmbeddingConfig config) {
        this.model = model;
        this.index = index;
        this.profiles = profiles;
        this.trending = trending;
        this.queryVectors = Caffeine.newBuilder().maximumSize(config.queryCacheSize()).build();
    }

    public RecommendationResponse search(String query, VectorFilter filter, Page page) {
        String normalized = query.trim().replaceAll("\\s+", " ");
        float[] vector = queryVectors.get(normalized.toLowerCase(), q -> model.embed(normalized));
        List<VectorHit> hits = index.search(vector, filter, page.depth());
        RecommendationItem.Reason reason = new RecommendationItem.Reason("query", "matches \"" + normalized + "\"");
        return respond(hits, page, reason);
    }

    /** Empty when the product is not in the index (unknown, or not embedded yet). */
    public Optional<RecommendationResponse> similar(String productId, VectorFilter filter, Page page) {
        VectorRecord product = index.get(List.of(productId)).get(productId);
        if (product == null) {
            return Optional.empty();
        }
        List<VectorHit> hits = index.search(product.vector(), filter.excluding(Set.of(productId)), page.depth());
        RecommendationItem.Reason reason = new RecommendationItem.Reason("similar",
                "similar to " + product.payload().title());
        return Optional.of(respond(hits, page, reason));
    }

    /**
     * The home feed: the products nearest to the shopper's taste, without what they hid or
     * bought; trending products for shoppers without a taste yet.
     */
    public RecommendationResponse feed(String userId, VectorFilter filter, Page page) {
        Optional<TasteProfile> profile = profiles.find(userId);
        Set<String> excluded = new HashSet<>(filter.excludeIds());
        profile.ifPresent(p -> excluded.addAll(p.excluded()));
        VectorFilter allowed = filter.excluding(excluded);
        float[] taste = profile.map(TasteProfile::direction).orElse(null);
        if (taste == null) {
            return trendingPage(allowed, page);
        }
        List<VectorHit> hits = index.search(taste, allowed, page.depth());
        List<String> liked = TasteProfile.strongest(profile.get().categories(), 2).stream()
                .map(e -> leaf(e.getKey())).toList();
        RecommendationItem.Reason reason = new RecommendationItem.Reason("profile", liked.isEmpty()
                ? "close to what you engaged with" : "close to your taste in " + String.join(" and ", liked));
        return respond(hits, page, reason);
    }

    private RecommendationResponse trendingPage(VectorFilter filter, Page page) {
        List<RecommendationItem> matching = new ArrayList<>();
        for (TrendingReader.TrendingProduct product : trending.products()) {
            if (!filter.matches(product.productId(), product.payload())) {
                continue;
            }
            matching.add(item(new VectorHit(product.productId(), (float) trending.countNow(product), product.payload()),
                    new RecommendationItem.Reason("trending", "trending in " + leaf(product.payload().category()))));
            if (matching.size() == page.depth()) {
                break;
            }
        }
        List<RecommendationItem> items = matching.stream().skip(page.offset()).limit(page.limit()).toList();
        return new RecommendationResponse(items, page.next(items.size()), model.version(),
                RecommendationResponse.Rerank.NOT_CONFIGURED);
    }

    /** "Home > Lighting > Lamps" → "Lamps". */
    static String leaf(String categoryPath) {
        if (categoryPath == null) {
            return "the shop";
        }
        int cut = categoryPath.lastIndexOf('>');
        return categoryPath.substring(cut + 1).trim();
    }

    public RecommendationResponse empty() {
        return new RecommendationResponse(List.of(), null, model.version(), RecommendationResponse.Rerank.NOT_CONFIGURED);
    }

    private RecommendationResponse respond(List<VectorHit> hits, Page page, RecommendationItem.Reason reason) {
        List<RecommendationItem> items = hits.stream()
                .skip(page.offset())
                .limit(page.limit())
                .map(hit -> item(hit, reason))
                .toList();
        return new RecommendationResponse(items, page.next(items.size()), model.version(),
                RecommendationResponse.Rerank.NOT_CONFIGURED);
    }

    private static RecommendationItem item(VectorHit hit, RecommendationItem.Reason reason) {
        ProductPayload p = hit.payload();
        return new RecommendationItem(hit.id(), p.title(), p.price(), p.currency(), p.imageUrl(), p.category(),
                p.brand(), Math.round(hit.score() * 10_000) / 10_000.0, List.of(reason));
    }
}
