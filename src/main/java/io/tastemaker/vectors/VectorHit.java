package io.tastemaker.vectors;

/** A search result; {@code score} is the cosine similarity to the query, in [-1, 1]. */
public record VectorHit(String id, double score, ProductPayload payload) {
}
