package io.tastemaker.recommend.sources;

import io.tastemaker.vectors.VectorFilter;

import java.util.List;

/**
 * Port: the catalogue's newest products, in stock first and spread over categories, as a
 * merchandiser would fill an empty shelf. Read from memory: the adapter refreshes it in the
 * background, so asking costs no database round trip.
 */
public interface NewArrivals {

    /** No new arrivals known (the offline evaluation, which measures the engagement-driven sources). */
    NewArrivals NONE = (filter, limit) -> List.of();

    /** The first {@code limit} new arrivals matching {@code filter}, best first, each with its reason ("new in Lighting"). */
    List<Candidate> top(VectorFilter filter, int limit);
}
