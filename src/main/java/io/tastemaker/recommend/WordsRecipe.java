package io.tastemaker.recommend;

import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.sources.Retrieved;
import io.tastemaker.recommend.sources.Source;
import io.tastemaker.recommend.sources.Sources;
import io.tastemaker.recommend.sources.Subject;
import io.tastemaker.vectors.VectorFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Search and the shopping assistant: the shopper's words decide what matches; the shopper's
 * taste and popularity only reorder the matches. The two surfaces differ in their weights (the
 * assistant leans on the taste more).
 */
final class WordsRecipe implements SurfaceRecipe {

    private static final List<Source> REORDERING = List.of(Source.PROFILE, Source.TRENDING);

    private final Weights weights;

    WordsRecipe(Weights weights) {
        this.weights = weights;
    }

    @Override
    public Optional<Retrieval> retrieve(Sources sources, ListRequest request, TasteProfile profile, Listing listing) {
        Weights used = weights.with(listing.weightOverride());
        VectorFilter allowed = Sources.allowed(listing.filter(), profile, List.of());
        Subject subject = Subject.words(profile, request.query());
        Retrieved matches = sources.ask(Source.QUERY, subject, allowed, listing.page().depth());
        List<Retrieved> lists = new ArrayList<>(List.of(matches));
        lists.addAll(sources.ask(REORDERING, used::uses, subject.among(matches), allowed, listing.page().depth()));
        return Optional.of(new Retrieval(lists, used, allowed));
    }
}
