package io.tastemaker.recommend;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.embedding.EmbeddingConfig;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorHit;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Answers "more like this" and semantic search from the vector index. Blends, merchandising
 * and reranking build on this with their own issues.
 */
@ApplicationScoped
public class RecommendationService {

    private final ActiveModel model;
    private final VectorIndex index;
    /** Storefronts repeat popular queries; embedding one costs milliseconds of CPU. */
    private final Cache<String, float[]> queryVectors;

    RecommendationService(ActiveModel model, VectorIndex index, EmbeddingConfig config) {
        this.model = model;
        this.index = index;
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
