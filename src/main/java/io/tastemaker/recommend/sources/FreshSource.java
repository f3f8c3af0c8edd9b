package io.tastemaker.recommend.sources;

import io.tastemaker.vectors.VectorFilter;

/** The catalogue's new arrivals: the fallback of a list the other sources leave empty or short. */
final class FreshSource implements CandidateSource {

    private final NewArrivals arrivals;

    FreshSource(NewArrivals arrivals) {
        this.arrivals = arrivals;
    }

    @Override
    public Source source() {
        return Source.FRESH;
    }

    @Override
    public Retrieved retrieve(Subject subject, VectorFilter allowed, int limit) {
        return new Retrieved(Source.FRESH, arrivals.top(allowed, limit));
    }
}
