package io.tastemaker.recommend;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.embedding.EmbeddingConfig;
import io.tastemaker.engagement.CoEngagementReader;
import io.tastemaker.engagement.TrendingReader;
import io.tastemaker.merchandising.ActiveRules;
import io.tastemaker.merchandising.Rule;
import io.tastemaker.profiles.ProfileService;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorIndex;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers the storefront lists. Each reads top to bottom: look up what is known about the
 * shopper, ask the candidate sources, then {@link Ranking}: fuse, filter, merchandising rules,
 * diversity, page. Runs on worker threads (embedding and graph walks are CPU work).
 */
@ApplicationScoped
public class RecommendationService {

    private final ActiveModel model;
    private final ProfileService profiles;
    private final CandidateSources sources;
    private final Ranking ranking;
    private final ActiveRules rules;
    private final BlendConfig blend;
    /** Storefronts repeat popular queries; embedding one costs milliseconds of CPU. */
    private final Cache<String, float[]> queryVectors;

    RecommendationService(ActiveModel model, VectorIndex index, ProfileService profiles, TrendingReader trending,
                          CoEngagementReader coEngagement, ActiveRules rules, BlendConfig blend, EmbeddingConfig config) {
        this.model = model;
        this.profiles = profiles;
        this.sources = new CandidateSources(index, coEngagement, trending);
        this.ranking = new Ranking(index, blend.fusion(), blend.diversity().settings());
        this.rules = rules;
        this.blend = blend;
        this.queryVectors = Caffeine.newBuilder().maximumSize(config.queryCacheSize()).build();
    }

    /** What a storefront asks for: a surface and its subject (shopper, product on screen, words). */
    public record Request(Surface surface, String userId, String productId, String query) {

        public static Request feed(String userId) {
            return new Request(Surface.FEED, userId, null, null);
        }
    }

    public RecommendationResponse feed(String userId, Listing listing) {
        return respond(rank(Request.feed(userId), listing, rules.current(), Instant.now()).orElseThrow(), listing.page());
    }

    /** Empty when the product is not in the index (unknown, or not embedded yet). */
    public Optional<RecommendationResponse> similar(String productId, String userId, Listing listing) {
        return rank(new Request(Surface.SIMILAR, userId, productId, null), listing, rules.current(), Instant.now())
                .map(result -> respond(result, listing.page()));
    }

    public RecommendationResponse search(String query, String userId, Listing listing) {
        return respond(rank(new Request(Surface.SEARCH, userId, null, query), listing, rules.current(), Instant.now()).orElseThrow(),
                listing.page());
    }

    /**
     * The shopping assistant without an LLM: the request's words (price phrases already turned
     * into filters) blended more strongly with the shopper's taste than search is.
     */
    public RecommendationResponse assist(String query, String userId, Listing listing) {
        return respond(rank(new Request(Surface.ASSISTANT, userId, null, query), listing, rules.current(), Instant.now()).orElseThrow(),
                listing.page());
    }

    /**
     * Ranks the window of {@code listing}'s page under {@code rules} as they stand {@code at} (the
     * live ones now, or a merchandiser's draft at a campaign's start in a preview). Empty only for "similar" to a product the index does
     * not have.
     */
    public Optional<Ranking.Result> rank(Request request, Listing listing, List<Rule> rules, Instant at) {
        Optional<TasteProfile> profile = Optional.ofNullable(request.userId()).flatMap(profiles::find);
        int depth = listing.page().depth();
        List<Retrieved> retrieved = new ArrayList<>(4);
        Weights weights;
        VectorFilter allowed;
        switch (request.surface()) {
            case FEED -> {
                // close to the shopper's taste, like and after what they engaged with recently, trending;
                // never what they hid, bought or just saw; trending alone for a new shopper
                weights = blend.feed().weights().with(listing.weightOverride());
                List<CandidateSources.Anchor> anchors = profile
                        .map(p -> sources.recentAnchors(p, blend.anchors(), blend.anchorDecay())).orElse(List.of());
                allowed = listing.filter().excluding(CandidateSources.excluded(listing.filter().excludeIds(),
                        profile.orElse(null), anchors));
                if (profile.map(TasteProfile::direction).isEmpty()) {
                    weights = weights.with(Map.of(Source.TRENDING, Math.max(1.0, weights.of(Source.TRENDING))));
                }
                retrieved.addAll(sources.forFeed(profile.orElse(null), anchors, weights, allowed, depth));
            }
            case SIMILAR -> {
                // content neighbours and what shoppers went on to (a new product: content only)
                List<CandidateSources.Anchor> anchor = sources.productAnchor(request.productId());
                if (anchor.isEmpty()) {
                    return Optional.empty();
                }
                weights = blend.similar().weights().with(listing.weightOverride());
                allowed = listing.filter().excluding(CandidateSources.excluded(listing.filter().excludeIds(),
                        profile.orElse(null), anchor));
                if (weights.uses(Source.SIMILAR)) {
                    retrieved.add(sources.similar(anchor, allowed, depth));
                }
                if (weights.uses(Source.CO_ENGAGEMENT)) {
                    retrieved.add(sources.coEngagement(anchor, allowed.excludeIds(), depth));
                }
                addProfile(retrieved, profile, weights, allowed, depth);
            }
            case SEARCH, ASSISTANT -> {
                // the words decide what matches; the shopper's taste and popularity reorder the matches
                weights = (request.surface() == Surface.SEARCH ? blend.search().weights() : blend.assistant().weights())
                        .with(listing.weightOverride());
                allowed = listing.filter().excluding(CandidateSources.excluded(listing.filter().excludeIds(),
                        profile.orElse(null), List.of()));
                String normalized = request.query().trim().replaceAll("\\s+", " ");
                float[] vector = queryVectors.get(normalized.toLowerCase(), q -> model.embed(normalized));
                Retrieved matches = sources.query(vector, "matches \"" + normalized + "\"", allowed, depth);
                retrieved.add(matches);
                if (weights.uses(Source.PROFILE)) {
                    profile.ifPresent(p -> retrieved.add(sources.profileAmong(p, matches)));
                }
                if (weights.uses(Source.TRENDING)) {
                    retrieved.add(sources.trending(allowed, TrendingReader.DEPTH).restrictedTo(matches));
                }
            }
            default -> throw new IllegalArgumentException(request.surface().name());
        }
        return Optional.of(ranking.rank(request.surface(), retrieved, weights, allowed, depth, rules, at));
    }

    private void addProfile(List<Retrieved> retrieved, Optional<TasteProfile> profile, Weights weights,
                            VectorFilter allowed, int depth) {
        profile.filter(p -> weights.uses(Source.PROFILE)).ifPresent(p ->
                retrieved.add(sources.profile(p.direction(), CandidateSources.tasteReason(p), allowed, depth)));
    }

    public List<Rule> liveRules() {
        return rules.current();
    }

    private RecommendationResponse respond(Ranking.Result ranked, Page page) {
        List<RecommendationItem> items = ranked.items().stream()
                .skip(page.offset())
                .limit(page.limit())
                .map(RecommendationService::item)
                .toList();
        return new RecommendationResponse(items, page.next(items.size()), model.version(),
                RecommendationResponse.Rerank.NOT_CONFIGURED);
    }

    static RecommendationItem item(Ranking.Ranked r) {
        ProductPayload p = r.payload();
        return new RecommendationItem(r.productId(), p.title(), p.price(), p.currency(), p.imageUrl(), p.category(),
                p.brand(), Math.round(r.score() * 10_000) / 10_000.0, r.reasons());
    }

    public RecommendationResponse empty() {
        return new RecommendationResponse(List.of(), null, model.version(), RecommendationResponse.Rerank.NOT_CONFIGURED);
    }
}
