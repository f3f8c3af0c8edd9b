package io.tastemaker.recommend;

import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.sources.Anchor;
import io.tastemaker.recommend.sources.Retrieved;
import io.tastemaker.recommend.sources.Source;
import io.tastemaker.recommend.sources.Sources;
import io.tastemaker.recommend.sources.Subject;
import io.tastemaker.vectors.VectorFilter;

import java.util.List;
import java.util.Optional;

/**
 * "More like this": the product on screen's content neighbours and what shoppers went on to from
 * it (a new product: content only), nudged by the shopper's taste.
 */
final class SimilarRecipe implements SurfaceRecipe {

    private static final List<Source> ASKED = List.of(Source.SIMILAR, Source.CO_ENGAGEMENT, Source.PROFILE);

    private final Weights weights;

    SimilarRecipe(Weights weights) {
        this.weights = weights;
    }

    @Override
    public Optional<Retrieval> retrieve(Sources sources, ListRequest request, TasteProfile profile, Listing listing) {
        Optional<Anchor> onScreen = sources.productAnchor(request.productId());
        if (onScreen.isEmpty()) {
            return Optional.empty();
        }
        List<Anchor> anchor = List.of(onScreen.get());
        Weights used = weights.with(listing.weightOverride());
        VectorFilter allowed = Sources.allowed(listing.filter(), profile, anchor);
        List<Retrieved> lists = sources.ask(ASKED, used::uses, Subject.of(profile, anchor), allowed,
                listing.page().depth());
        return Optional.of(Retrieval.of(sources.completeSimilarity(lists, anchor), used, allowed));
    }
}
