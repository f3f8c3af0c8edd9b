package io.tastemaker.recommend.sources;

import io.tastemaker.vectors.VectorFilter;

import java.util.List;

/** Port: what is popular now. */
public interface Popularity {

    /**
     * How deep a popularity list goes: deep enough that filtered trending pages (a category, a
     * price range) still fill up; search reorders its matches by the popular ones among this many.
     */
    int MAX_DEPTH = 1000;

    /** The most popular products matching {@code filter}, best first (score = decayed engagement). */
    List<Candidate> top(VectorFilter filter, int limit);
}
