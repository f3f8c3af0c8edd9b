package io.tastemaker.recommend;

import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.embedding.EmbeddingConfig;
import io.tastemaker.merchandising.ActiveRules;
import io.tastemaker.merchandising.Rule;
import io.tastemaker.models.experiments.Assignments;
import io.tastemaker.models.experiments.Split;
import io.tastemaker.profiles.ProfileService;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.neighbours.PrecomputedNeighbours;
import io.tastemaker.recommend.sources.CoEngagementGraph;
import io.tastemaker.recommend.sources.NewArrivals;
import io.tastemaker.recommend.sources.Popularity;
import io.tastemaker.recommend.sources.ShopperHistories;
import io.tastemaker.recommend.sources.Sources;
import io.tastemaker.rerank.RerankConfig;
import io.tastemaker.rerank.Reranker;
import io.tastemaker.resilience.Deadline;
import io.tastemaker.resilience.RequestBudget;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Answers the storefront lists. Every list reads the same: the request's context (model version,
 * shopper), its surface's {@link SurfaceRecipe} retrieves, {@link Ranking} fuses, filters,
 * applies merchandising rules and diversifies, the LLM reranks the head ({@link RerankStep}), the
 * page is cut and recorded as served ({@link ServedLists}, with an experiment's exposure), under a
 * {@code recommId} that events send back. Ranking runs on worker threads (embedding and graph walks
 * are CPU work); the wait for the LLM holds no thread.
 */
@ApplicationScoped
public class RecommendationService {

    private final ActiveModel model;
    private final Assignments assignments;
    private final ProfileService profiles;
    private final CoEngagementGraph coEngagement;
    private final ShopperHistories histories;
    private final Popularity popularity;
    private final NewArrivals newArrivals;
    private final ActiveRules rules;
    private final BlendConfig blend;
    private final int queryCacheSize;
    private final Map<Surface, SurfaceRecipe> recipes = new EnumMap<>(Surface.class);
    /** The configured feed weights with the configured co-engagement floor: what a version's own are laid over. */
    private final Weights feedWeights;
    private final RerankStep rerankStep;
    private final ListsConfig lists;
    private final ServedLists served;
    private final PrecomputedNeighbours neighbours;
    private final VersionWeights versionWeights;
    /** The engines of the versions serving now: the active one and an experiment's treatment. */
    private volatile List<Engines> engines = List.of();

    RecommendationService(ActiveModel model, Assignments assignments, ProfileService profiles, Popularity popularity,
                          CoEngagementGraph coEngagement, ShopperHistories histories, NewArrivals newArrivals,
                          ActiveRules rules, BlendConfig blend,
                          EmbeddingConfig config, Reranker reranker, RerankConfig rerank, ListsConfig lists,
                          ServedLists served, VersionWeights versionWeights, PrecomputedNeighbours neighbours) {
        this.lists = lists;
        this.neighbours = neighbours;
        this.served = served;
        this.versionWeights = versionWeights;
        this.newArrivals = newArrivals;
        this.model = model;
        this.assignments = assignments;
        this.profiles = profiles;
        this.coEngagement = coEngagement;
        this.histories = histories;
        this.popularity = popularity;
        this.rules = rules;
        this.blend = blend;
        this.queryCacheSize = config.queryCacheSize();
        this.rerankStep = new RerankStep(reranker, rerank);
        this.feedWeights = blend.floored(blend.feed().weights());
        recipes.put(Surface.FEED, new FeedRecipe(feedWeights, blend.anchors(), blend.anchorDecay()));
        recipes.put(Surface.SIMILAR, new SimilarRecipe(blend.floored(blend.similar().weights())));
        recipes.put(Surface.SEARCH, new WordsRecipe(blend.search().weights()));
        recipes.put(Surface.ASSISTANT, new WordsRecipe(blend.assistant().weights()));
    }

    public CompletionStage<Recommendations> feed(String userId, Listing listing) {
        return answer(ListRequest.feed(userId), listing).orElseThrow();
    }

    /** Empty when the product is not in the index (unknown, or not embedded yet). */
    public Optional<CompletionStage<Recommendations>> similar(String productId, String userId, Listing listing) {
        return answer(ListRequest.similar(productId, userId), listing);
    }

    public CompletionStage<Recommendations> search(String query, String userId, Listing listing) {
        return answer(ListRequest.search(query, userId), listing).orElseThrow();
    }

    /**
     * The shopping assistant: the request's words (price phrases already turned into filters)
     * blended more strongly with the shopper's taste than search is; the LLM, when configured,
     * reorders the best and says why.
     */
    public CompletionStage<Recommendations> assist(String query, String userId, Listing listing) {
        return answer(ListRequest.assistant(query, userId), listing).orElseThrow();
    }

    /**
     * Retrieves and ranks within the list's deadline ({@link RequestBudget}): what failed or ran
     * out of time is left out and named in the answer's {@code degraded}; only when that leaves
     * nothing at all to show is the answer a 503 ({@link NothingToAnswer}).
     */
    private Optional<CompletionStage<Recommendations>> answer(ListRequest request, Listing listing) {
        return answer(request, listing, newDeadline());
    }

    /**
     * {@code request}'s list within {@code deadline}: the parts of a batch share their request's
     * deadline, so a page of several lists waits no longer than one list may. Empty only for
     * "similar" to a product the index does not have.
     */
    public Optional<CompletionStage<Recommendations>> answer(ListRequest request, Listing listing, Deadline deadline) {
        RequestBudget budget = RequestBudget.within(deadline);
        Context context;
        Optional<Ranking.Result> ranked;
        try (RequestBudget.Scope bound = budget.bind()) {
            context = contextOf(request);
            ranked = rank(context, request, listing, rules.current(), Instant.now());
        }
        List<String> degraded = budget.degraded();
        if (!degraded.isEmpty() && ranked.isPresent() && ranked.get().items().isEmpty()) {
            throw new NothingToAnswer(degraded, lists.retryAfter());
        }
        return ranked
                .map(result -> rerankStep.apply(request, context.profile(), result.items(), context.engines().serving(),
                        listing))
                .map(page -> page.thenApply(p -> served(context, request, listing, p.degradedBy(degraded))));
    }

    /** The deadline of a list (or a batch of lists) asked for now. */
    public Deadline newDeadline() {
        return Deadline.in(lists.deadline());
    }

    /**
     * Ranks the window of {@code listing}'s page under {@code rules} as they stand {@code at} (the
     * live ones now, or a merchandiser's draft at a campaign's start in a preview). Empty only for
     * "similar" to a product the index does not have.
     */
    public Optional<Ranking.Result> rank(ListRequest request, Listing listing, List<Rule> rules, Instant at) {
        return rank(contextOf(request), request, listing, rules, at);
    }

    private Optional<Ranking.Result> rank(Context context, ListRequest request, Listing listing, List<Rule> rules,
                                          Instant at) {
        Engines engines = context.engines();
        return recipeOf(request.surface(), engines.serving().version())
                .retrieve(engines.sources(), request, context.profile(), listing)
                .map(found -> engines.ranking().rank(request.surface(), found, listing.page().depth(),
                        shown(request, listing), rules, at));
    }

    /**
     * The surface's recipe; the feed's with the weights (and co-engagement floor) its model version
     * asks for on top of the configured ones (a request's {@code weights=} still applies on top of both).
     */
    private SurfaceRecipe recipeOf(Surface surface, String version) {
        VersionWeights.Asked asked = surface == Surface.FEED ? versionWeights.feed(version) : VersionWeights.Asked.NONE;
        if (asked.isEmpty()) {
            return recipes.get(surface);
        }
        return new FeedRecipe(asked.over(feedWeights), blend.anchors(), blend.anchorDecay());
    }

    /**
     * The places a request shows or hands the LLM: the end of its page, or the reranked head if
     * deeper. Only these are diversified (the costliest step of a list), the rest follow in order.
     */
    private int shown(ListRequest request, Listing listing) {
        Page page = listing.page();
        return Math.max(page.offset() + page.limit(), rerankStep.head(request, listing));
    }

    /** The page under a new recommId, recorded as served (and counted for a running experiment). */
    private Recommendations served(Context context, ListRequest request, Listing listing, Recommendations page) {
        Instant now = Instant.now();
        String recommId = RecommIds.next(now.toEpochMilli());
        String placement = listing.placementOf(request.surface());
        Assignments.Assignment assignment = context.assignment();
        assignment.served(page.items().size());
        if (!page.items().isEmpty()) {
            served.record(new ServedLists.ServedList(recommId, now, placement, request.surface(), request.userId(),
                    page.modelVersion(), assignment.inExperiment() ? assignment.split().id() : null,
                    assignment.inExperiment() ? assignment.variant().jsonName() : null, page.firstPosition(),
                    page.items().stream().map(Ranking.Ranked::productId).toList(),
                    page.items().stream().map(Ranking.Ranked::ruleIds).toList()));
        }
        return page.servedAs(recommId, placement);
    }

    public List<Rule> liveRules() {
        return rules.current();
    }

    /** The answer for a product that is in the catalogue but not embedded yet: nothing to record. */
    public Recommendations empty(Listing listing) {
        return Recommendations.page(List.of(), 0, -1, model.version(), Recommendations.Rerank.skipped(Reranker.Outcome.TOO_FEW))
                .servedAs(RecommIds.next(System.currentTimeMillis()), listing.placementOf(Surface.SIMILAR));
    }

    /**
     * What one request runs on: the shopper's model version (the active one, or an experiment's
     * treatment) with its engines, and the shopper's profile in that version's space (null if unknown).
     */
    private record Context(Assignments.Assignment assignment, Engines engines, TasteProfile profile) {
    }

    private Context contextOf(ListRequest request) {
        Assignments.Assignment assignment = assignments.assign(request.userId());
        ActiveModel.Serving serving = assignment.serving();
        return new Context(assignment, engines(serving), request.userId() == null ? null : profile(request.userId(), serving));
    }

    /** The shopper's profile; during a request, none (named degraded) when PostgreSQL cannot give it and none is cached. */
    private TasteProfile profile(String userId, ActiveModel.Serving serving) {
        try {
            return profiles.find(userId, serving).orElse(null);
        } catch (RuntimeException e) {
            RequestBudget budget = RequestBudget.current();
            if (!budget.active()) {
                throw e;
            }
            budget.degrade("profile");
            return null;
        }
    }

    /**
     * Retrieval and ranking over one model version's collection, with that version's caches. A
     * request takes the serving snapshot once, so a promotion never mixes two models in one answer.
     */
    private record Engines(ActiveModel.Serving serving, Sources sources, Ranking ranking) {
    }

    private Engines engines(ActiveModel.Serving serving) {
        List<Engines> known = engines;
        for (Engines e : known) {
            if (e.serving() == serving) {
                return e;
            }
        }
        Engines created = new Engines(serving,
                new Sources(serving.index(), coEngagement, histories, popularity, newArrivals, neighbours.of(serving),
                        serving::embed, queryCacheSize),
                new Ranking(new LookupFallback(serving.index()), blend.fusion(), blend.diversity().settings()));
        List<Engines> kept = new ArrayList<>(List.of(created));
        Split split = assignments.split();
        for (Engines e : known) {
            if (e.serving() == model.serving() || split != null && e.serving() == split.treatment()) {
                kept.add(e);
            }
        }
        engines = List.copyOf(kept);
        return created;
    }
}
