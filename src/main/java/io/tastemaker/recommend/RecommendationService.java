package io.tastemaker.recommend;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.embedding.EmbeddingConfig;
import io.tastemaker.engagement.CoEngagementReader;
import io.tastemaker.engagement.TrendingReader;
import io.tastemaker.merchandising.ActiveRules;
import io.tastemaker.merchandising.Rule;
import io.tastemaker.models.experiments.Split;
import io.tastemaker.profiles.ProfileService;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.rerank.RerankConfig;
import io.tastemaker.rerank.Reranker;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers the storefront lists. Each reads top to bottom: look up what is known about the
 * shopper, ask the candidate sources, then {@link Ranking}: fuse, filter, merchandising rules,
 * diversity; then the LLM reranks the head ({@link Reranking}) and the page is cut. Ranking runs
 * on worker threads (embedding and graph walks are CPU work); the wait for the LLM holds no thread.
 */
@ApplicationScoped
public class RecommendationService {

    private final ActiveModel model;
    private final ProfileService profiles;
    private final CoEngagementReader coEngagement;
    private final TrendingReader trending;
    /** The engines of the versions serving now: the active one and an experiment's treatment. */
    private volatile List<Engines> engines = List.of();
    private final ActiveRules rules;
    private final BlendConfig blend;
    private final Reranker reranker;
    private final RerankConfig rerank;
    private final Set<String> rerankedSurfaces;
    private static final int SHOPPER_RECENT = 5;
    private static final RecommendationResponse.Rerank SKIPPED_DISABLED =
            RecommendationResponse.Rerank.skipped(Reranker.Outcome.DISABLED);
    private static final RecommendationResponse.Rerank SKIPPED_NOT_REQUESTED =
            RecommendationResponse.Rerank.skipped("not_requested");
    private static final RecommendationResponse.Rerank SKIPPED_BELOW_HEAD =
            RecommendationResponse.Rerank.skipped("page_below_reranked_head");
    /** Storefronts repeat popular queries; embedding one costs milliseconds of CPU. */
    private final Cache<String, float[]> queryVectors;

    RecommendationService(ActiveModel model, ProfileService profiles, TrendingReader trending,
                          CoEngagementReader coEngagement, ActiveRules rules, BlendConfig blend, EmbeddingConfig config,
                          Reranker reranker, RerankConfig rerank) {
        this.model = model;
        this.profiles = profiles;
        this.coEngagement = coEngagement;
        this.trending = trending;
        this.rules = rules;
        this.blend = blend;
        this.reranker = reranker;
        this.rerank = rerank;
        this.rerankedSurfaces = rerank.enabled() ? Set.copyOf(rerank.surfaces()) : Set.of();
        this.queryVectors = Caffeine.newBuilder().maximumSize(config.queryCacheSize()).build();
    }

    /**
     * Retrieval and ranking over one model version's collection, with that version's caches. A
     * request takes the serving snapshot once, so a promotion never mixes two models in one answer.
     */
    private record Engines(ActiveModel.Serving serving, CandidateSources sources, Ranking ranking) {
    }

    private Engines engines(ActiveModel.Serving serving) {
        List<Engines> known = engines;
        for (Engines e : known) {
            if (e.serving() == serving) {
                return e;
            }
        }
        Engines created = new Engines(serving, new CandidateSources(serving.index(), coEngagement, trending),
                new Ranking(serving.index(), blend.fusion(), blend.diversity().settings()));
        List<Engines> kept = new ArrayList<>(List.of(created));
        Split split = model.split();
        for (Engines e : known) {
            if (e.serving() == model.serving() || split != null && e.serving() == split.treatment()) {
                kept.add(e);
            }
        }
        engines = List.copyOf(kept);
        return created;
    }

    /**
     * What one request runs on: the shopper's model version (the active one, or an experiment's
     * treatment) with its engines, and the shopper's profile in that version's space.
     */
    private record Context(ActiveModel.Assignment assignment, Engines engines, Optional<TasteProfile> profile) {
    }

    private Context contextOf(Request request) {
        ActiveModel.Assignment assignment = model.assign(request.userId());
        ActiveModel.Serving serving = assignment.serving();
        Optional<TasteProfile> profile = Optional.ofNullable(request.userId()).flatMap(id -> profiles.find(id, serving));
        return new Context(assignment, engines(serving), profile);
    }

    /** A ranked window and the engines (model version) that ranked it. */
    private record RankedWindow(Engines engines, Ranking.Result result) {
    }

    /** What a storefront asks for: a surface and its subject (shopper, product on screen, words). */
    public record Request(Surface surface, String userId, String productId, String query) {

        public static Request feed(String userId) {
            return new Request(Surface.FEED, userId, null, null);
        }
    }

    public CompletionStage<RecommendationResponse> feed(String userId, Listing listing) {
        return answer(Request.feed(userId), listing);
    }

    /** Empty when the product is not in the index (unknown, or not embedded yet). */
    public Optional<CompletionStage<RecommendationResponse>> similar(String productId, String userId, Listing listing) {
        Request request = new Request(Surface.SIMILAR, userId, productId, null);
        Context context = contextOf(request);
        return rank(request, context, listing, rules.current(), Instant.now())
                .map(ranked -> rerankAndRespond(request, context, ranked, listing));
    }

    public CompletionStage<RecommendationResponse> search(String query, String userId, Listing listing) {
        return answer(new Request(Surface.SEARCH, userId, null, query), listing);
    }

    /**
     * The shopping assistant: the request's words (price phrases already turned into filters)
     * blended more strongly with the shopper's taste than search is; the LLM, when configured,
     * reorders the best and says why.
     */
    public CompletionStage<RecommendationResponse> assist(String query, String userId, Listing listing) {
        return answer(new Request(Surface.ASSISTANT, userId, null, query), listing);
    }

    private CompletionStage<RecommendationResponse> answer(Request request, Listing listing) {
        Context context = contextOf(request);
        RankedWindow ranked = rank(request, context, listing, rules.current(), Instant.now()).orElseThrow();
        return rerankAndRespond(request, context, ranked, listing);
    }

    /**
     * Ranks the window of {@code listing}'s page under {@code rules} as they stand {@code at} (the
     * live ones now, or a merchandiser's draft at a campaign's start in a preview). Empty only for "similar" to a product the index does
     * not have.
     */
    public Optional<Ranking.Result> rank(Request request, Listing listing, List<Rule> rules, Instant at) {
        return rank(request, contextOf(request), listing, rules, at).map(RankedWindow::result);
    }

    private Optional<RankedWindow> rank(Request request, Context context, Listing listing, List<Rule> rules, Instant at) {
        Engines engines = context.engines();
        Optional<TasteProfile> profile = context.profile();
        CandidateSources sources = engines.sources();
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
                addProfile(sources, retrieved, profile, weights, allowed, depth);
                sources.completeSimilar(retrieved, anchor);
            }
            case SEARCH, ASSISTANT -> {
                // the words decide what matches; the shopper's taste and popularity reorder the matches
                weights = (request.surface() == Surface.SEARCH ? blend.search().weights() : blend.assistant().weights())
                        .with(listing.weightOverride());
                allowed = listing.filter().excluding(CandidateSources.excluded(listing.filter().excludeIds(),
                        profile.orElse(null), List.of()));
                String normalized = request.query().trim().replaceAll("\\s+", " ");
                ActiveModel.Serving serving = engines.serving();
                float[] vector = queryVectors.get(serving.version() + "\n" + normalized.toLowerCase(),
                        q -> serving.embed(normalized));
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
        return Optional.of(new RankedWindow(engines,
                engines.ranking().rank(request.surface(), retrieved, weights, allowed, depth, rules, at)));
    }

    private static void addProfile(CandidateSources sources, List<Retrieved> retrieved, Optional<TasteProfile> profile,
                                   Weights weights,
                            VectorFilter allowed, int depth) {
        profile.filter(p -> weights.uses(Source.PROFILE)).ifPresent(p ->
                retrieved.add(sources.profile(p.direction(), CandidateSources.tasteReason(p), allowed, depth)));
    }

    public List<Rule> liveRules() {
        return rules.current();
    }

    /**
     * The last step: the LLM reorders the best {@code top-n} (pinned products keep their
     * positions) within the latency budget; on any failure the ranked order stands.
     */
    private CompletionStage<RecommendationResponse> rerankAndRespond(Request request, Context context,
                                                                    RankedWindow ranked, Listing listing) {
        CompletionStage<RecommendationResponse> response = rerankAndRespond(request, context.profile(), ranked, listing);
        ActiveModel.Assignment assignment = context.assignment();
        if (!assignment.inExperiment()) {
            return response;
        }
        return response.thenApply(r -> {
            assignment.split().served(assignment.variant(), r.items().size());
            return r;
        });
    }

    private CompletionStage<RecommendationResponse> rerankAndRespond(Request request, Optional<TasteProfile> profile,
                                                                    RankedWindow ranked, Listing listing) {
        Page page = listing.page();
        List<Ranking.Ranked> items = ranked.result().items();
        String version = ranked.engines().serving().version();
        if (!rerankedSurfaces.contains(request.surface().key())) {
            return CompletableFuture.completedFuture(respond(items, page, version, SKIPPED_DISABLED));
        }
        if (!listing.rerank()) {
            return CompletableFuture.completedFuture(respond(items, page, version, SKIPPED_NOT_REQUESTED));
        }
        if (page.offset() >= rerank.topN()) {
            // later pages start below the reordered head, which they never show
            return CompletableFuture.completedFuture(respond(items, page, version, SKIPPED_BELOW_HEAD));
        }
        VectorIndex index = ranked.engines().serving().index();
        List<Ranking.Ranked> head = items.subList(0, Math.min(rerank.topN(), items.size()));
        List<Reranker.Candidate> movable = head.stream().filter(r -> !r.pinned()).map(RecommendationService::candidate)
                .toList();
        Reranker.Request rerankRequest = new Reranker.Request(request.surface().key(), rerankQuery(request, index),
                shopper(profile, index), movable);
        return reranker.rerank(rerankRequest).thenApply(outcome -> outcome.applied()
                ? respond(Reranking.apply(items, head.size(), outcome), page, version,
                        new RecommendationResponse.Rerank(true, outcome.model(), null))
                : respond(items, page, version,
                        new RecommendationResponse.Rerank(false, outcome.model(), outcome.fallbackReason())));
    }

    /** What the shopper asked for, or for "more like this", the product on screen. */
    private static String rerankQuery(Request request, VectorIndex index) {
        if (request.surface() != Surface.SIMILAR) {
            return request.query();
        }
        VectorRecord onScreen = index.get(List.of(request.productId())).get(request.productId());
        return onScreen == null ? "" : "products like " + onScreen.payload().title();
    }

    private static Reranker.Shopper shopper(Optional<TasteProfile> found, VectorIndex index) {
        if (found.isEmpty()) {
            return Reranker.Shopper.UNKNOWN;
        }
        TasteProfile profile = found.get();
        Map<String, String> recent = new LinkedHashMap<>();
        for (TasteProfile.Recent r : profile.recent()) {
            if (recent.size() == SHOPPER_RECENT) {
                break;
            }
            recent.putIfAbsent(r.productId(), CandidateSources.verb(r.type()));
        }
        Map<String, VectorRecord> titles = recent.isEmpty() ? Map.of() : index.get(recent.keySet());
        List<String> engaged = new ArrayList<>(recent.size());
        recent.forEach((id, verb) -> {
            VectorRecord record = titles.get(id);
            if (record != null) {
                engaged.add(verb + ": " + record.payload().title());
            }
        });
        return new Reranker.Shopper(
                TasteProfile.strongest(profile.categories(), 3).stream().map(e -> CategoryNames.leaf(e.getKey())).toList(),
                TasteProfile.strongest(profile.brands(), 3).stream().map(Map.Entry::getKey).toList(),
                engaged);
    }

    private static Reranker.Candidate candidate(Ranking.Ranked r) {
        ProductPayload p = r.payload();
        return new Reranker.Candidate(r.productId(), p.title(), p.brand(), p.category(), p.price(), p.currency(), p.tags());
    }

    private static RecommendationResponse respond(List<Ranking.Ranked> ranked, Page page, String modelVersion,
                                                  RecommendationResponse.Rerank rerank) {
        List<RecommendationItem> items = ranked.stream()
                .skip(page.offset())
                .limit(page.limit())
                .map(RecommendationService::item)
                .toList();
        return new RecommendationResponse(items, page.next(items.size()), modelVersion, rerank);
    }

    static RecommendationItem item(Ranking.Ranked r) {
        ProductPayload p = r.payload();
        return new RecommendationItem(r.productId(), p.title(), p.price(), p.currency(), p.imageUrl(), p.category(),
                p.brand(), Math.round(r.score() * 10_000) / 10_000.0, r.reasons());
    }

    public RecommendationResponse empty() {
        return new RecommendationResponse(List.of(), null, model.version(),
                RecommendationResponse.Rerank.skipped(Reranker.Outcome.TOO_FEW));
    }
}
