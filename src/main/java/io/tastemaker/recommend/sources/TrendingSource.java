package io.tastemaker.recommend.sources;

import io.tastemaker.vectors.VectorFilter;

/**
 * What is popular now; among a search's matches, the popular ones of those (popularity reorders
 * the matches, it does not add products the words did not match).
 */
final class TrendingSource implements CandidateSource {

    private final Popularity popularity;

    TrendingSource(Popularity popularity) {
        this.popularity = popularity;
    }

    @Override
    public Source source() {
        return Source.TRENDING;
    }

    @Override
    public Retrieved retrieve(Subject subject, VectorFilter allowed, int limit) {
        if (subject.among() == null) {
            return new Retrieved(Source.TRENDING, popularity.top(allowed, limit));
        }
        return new Retrieved(Source.TRENDING, popularity.top(allowed, Popularity.MAX_DEPTH)).restrictedTo(subject.among());
    }
}
