package io.tastemaker.recommend.sources;

/**
 * A product one source proposes, with the source's own score (higher is better; scales differ
 * between sources, fusion normalises them) and why, in words a shopper can read.
 */
public record Candidate(String productId, double score, String because) {
}
