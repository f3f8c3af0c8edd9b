package io.tastemaker.recommend;

import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.sources.Anchor;
import io.tastemaker.recommend.sources.Retrieved;
import io.tastemaker.recommend.sources.Source;
import io.tastemaker.recommend.sources.Sources;
import io.tastemaker.recommend.sources.Subject;
import io.tastemaker.vectors.VectorFilter;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The home feed: close to the shopper's taste, like and after what they engaged with recently,
 * what like-minded shoppers engaged with, and trending; never what they hid, bought or just saw; trending alone for a new shopper, and the
 * catalogue's new arrivals when all of these together fall short of the page window.
 * The offline evaluation retrieves through this same recipe.
 */
public final class FeedRecipe implements SurfaceRecipe {

    private static final List<Source> ASKED = List.of(Source.PROFILE, Source.SIMILAR, Source.CO_ENGAGEMENT,
            Source.LIKE_MINDED, Source.TRENDING);

    private final Weights weights;
    private final int anchors;
    private final double anchorDecay;

    /**
     * @param anchors     how many of the shopper's most recent distinct items to start from
     * @param anchorDecay how much each older anchor counts of the next newer one
     */
    public FeedRecipe(Weights weights, int anchors, double anchorDecay) {
        this.weights = weights;
        this.anchors = anchors;
        this.anchorDecay = anchorDecay;
    }

    @Override
    public Optional<Retrieval> retrieve(Sources sources, ListRequest request, TasteProfile profile, Listing listing) {
        return Optional.of(retrieve(sources, profile, listing.filter(), weights.with(listing.weightOverride()),
                listing.page().depth()));
    }

    /** The feed's candidates for a shopper ({@code profile} null if unknown) under {@code weights}. */
    public Retrieval retrieve(Sources sources, TasteProfile profile, VectorFilter requested, Weights weights, int depth) {
        List<Anchor> recent = profile == null ? List.of() : sources.recentAnchors(profile, anchors, anchorDecay);
        VectorFilter allowed = Sources.allowed(requested, profile, recent);
        Weights used = weights;
        if (profile == null || profile.direction() == null) {
            // without a taste, trending is what a new shopper sees
            used = weights.with(Map.of(Source.TRENDING, Math.max(1.0, weights.of(Source.TRENDING))));
        }
        Subject subject = Subject.of(profile, recent);
        List<Retrieved> lists = sources.ask(ASKED, used::uses, subject, allowed, depth);
        if (used.uses(Source.FRESH)) {
            // a shop without engagement yet still shows its new arrivals, never an empty feed
            lists = sources.toppedUp(lists, subject, allowed, depth);
        }
        return Retrieval.of(sources.completeSimilarity(lists, recent), used, allowed);
    }
}
