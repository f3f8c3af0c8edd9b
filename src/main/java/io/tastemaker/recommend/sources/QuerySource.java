package io.tastemaker.recommend.sources;

import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorIndex;

import java.util.function.Function;

/** The shopper's words: the products nearest to their embedding in this model version's space. */
final class QuerySource implements CandidateSource {

    private final VectorIndex index;
    private final Function<String, float[]> embedder;

    /** @param embedder embeds normalised words (cached by the caller: storefronts repeat popular queries) */
    QuerySource(VectorIndex index, Function<String, float[]> embedder) {
        this.index = index;
        this.embedder = embedder;
    }

    @Override
    public Source source() {
        return Source.QUERY;
    }

    @Override
    public Retrieved retrieve(Subject subject, VectorFilter allowed, int limit) {
        if (subject.words() == null) {
            return Retrieved.none(Source.QUERY);
        }
        String words = normalized(subject.words());
        return Vectors.nearest(index, Source.QUERY, embedder.apply(words), "matches \"" + words + "\"", allowed, limit);
    }

    /** Trimmed, runs of white space as one space: how queries are embedded and cached. */
    static String normalized(String words) {
        return words.trim().replaceAll("\\s+", " ");
    }
}
