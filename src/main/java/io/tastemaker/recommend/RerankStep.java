package io.tastemaker.recommend;

import io.tastemaker.catalog.CategoryNames;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.sources.Reasons;
import io.tastemaker.rerank.RerankConfig;
import io.tastemaker.rerank.Reranker;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The last steps of every list: the LLM reorders the best {@code top-n} (pinned products keep
 * their positions) within its latency budget, then the page is cut. On any failure, or when
 * reranking does not apply, the ranked order stands and the answer says why.
 */
final class RerankStep {

    private static final int SHOPPER_RECENT = 5;
    private static final Recommendations.Rerank SKIPPED_DISABLED =
            Recommendations.Rerank.skipped(Reranker.Outcome.DISABLED);
    private static final Recommendations.Rerank SKIPPED_NOT_REQUESTED =
            Recommendations.Rerank.skipped("not_requested");
    private static final Recommendations.Rerank SKIPPED_BELOW_HEAD =
            Recommendations.Rerank.skipped("page_below_reranked_head");

    private final Reranker reranker;
    private final int topN;
    private final Set<String> rerankedSurfaces;

    RerankStep(Reranker reranker, RerankConfig config) {
        this.reranker = reranker;
        this.topN = config.topN();
        this.rerankedSurfaces = config.enabled() ? Set.copyOf(config.surfaces()) : Set.of();
    }

    /** How many of the best products the LLM will reorder for this request: none when it is not asked to. */
    int head(ListRequest request, Listing listing) {
        return rerankedSurfaces.contains(request.surface().key()) && listing.rerank() && listing.page().offset() < topN
                ? topN : 0;
    }

    /** {@code listing}'s page of {@code ranked}, reranked when the surface, the request and the page allow it. */
    CompletionStage<Recommendations> apply(ListRequest request, TasteProfile profile, List<Ranking.Ranked> ranked,
                                           ActiveModel.Serving serving, Listing listing) {
        Page page = listing.page();
        String version = serving.version();
        if (!rerankedSurfaces.contains(request.surface().key())) {
            return CompletableFuture.completedFuture(cut(ranked, page, version, SKIPPED_DISABLED));
        }
        if (!listing.rerank()) {
            return CompletableFuture.completedFuture(cut(ranked, page, version, SKIPPED_NOT_REQUESTED));
        }
        if (page.offset() >= topN) {
            // later pages start below the reordered head, which they never show
            return CompletableFuture.completedFuture(cut(ranked, page, version, SKIPPED_BELOW_HEAD));
        }
        VectorIndex index = serving.index();
        List<Ranking.Ranked> head = ranked.subList(0, Math.min(topN, ranked.size()));
        List<Reranker.Item> movable = head.stream().filter(r -> !r.pinned()).map(RerankStep::candidate).toList();
        Reranker.Request rerankRequest = new Reranker.Request(request.surface().key(), query(request, index),
                shopper(profile, index), movable);
        return reranker.rerank(rerankRequest).thenApply(outcome -> outcome.applied()
                ? cut(Reranking.apply(ranked, head.size(), outcome), page, version,
                        new Recommendations.Rerank(true, outcome.model(), null))
                : cut(ranked, page, version, new Recommendations.Rerank(false, outcome.model(), outcome.fallbackReason())));
    }

    /** What the shopper asked for, or for "more like this", the product on screen. */
    private static String query(ListRequest request, VectorIndex index) {
        if (request.surface() != Surface.SIMILAR) {
            return request.query();
        }
        VectorRecord onScreen = index.get(List.of(request.productId())).get(request.productId());
        return onScreen == null ? "" : "products like " + onScreen.payload().title();
    }

    /** What the LLM is told about the shopper: strongest categories and brands, recent items by title. */
    private static Reranker.Shopper shopper(TasteProfile profile, VectorIndex index) {
        if (profile == null) {
            return Reranker.Shopper.UNKNOWN;
        }
        List<TasteProfile.Recent> recent = profile.recentDistinct(SHOPPER_RECENT);
        Map<String, VectorRecord> titles = recent.isEmpty() ? Map.of()
                : index.get(recent.stream().map(TasteProfile.Recent::productId).toList());
        List<String> engaged = new ArrayList<>(recent.size());
        for (TasteProfile.Recent r : recent) {
            VectorRecord record = titles.get(r.productId());
            if (record != null) {
                engaged.add(Reasons.verb(r.type()) + ": " + record.payload().title());
            }
        }
        return new Reranker.Shopper(
                TasteProfile.strongest(profile.categories(), 3).stream().map(e -> CategoryNames.leaf(e.getKey())).toList(),
                TasteProfile.strongest(profile.brands(), 3).stream().map(Map.Entry::getKey).toList(),
                engaged);
    }

    private static Reranker.Item candidate(Ranking.Ranked r) {
        ProductPayload p = r.payload();
        return new Reranker.Item(r.productId(), p.title(), p.brand(), p.category(), p.price(), p.currency(), p.tags());
    }

    private static Recommendations cut(List<Ranking.Ranked> ranked, Page page, String modelVersion,
                                       Recommendations.Rerank rerank) {
        List<Ranking.Ranked> items = ranked.stream().skip(page.offset()).limit(page.limit()).toList();
        return Recommendations.page(items, page.offset(), page.nextOffset(items.size()), modelVersion, rerank);
    }
}
