package io.tastemaker.recommend.sources;

import io.tastemaker.vectors.VectorFilter;

import java.util.List;

/** What is popular now. */
public interface Popularity {
    /** The most popular products matching {@code filter}, best first (score = decayed engagement). */
    List<Candidate> top(VectorFilter filter, int limit);
}
