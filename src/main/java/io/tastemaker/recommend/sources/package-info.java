/**
 * The candidate sources: each asks one signal (taste profile, the shopper's words, content
 * neighbours of anchor products, co-engagement, like-minded shoppers, popularity) for products, in
 * one shape ({@link io.tastemaker.recommend.sources.CandidateSource}). The signals behind them are
 * ports: the vector index, {@link io.tastemaker.recommend.sources.CoEngagementGraph},
 * {@link io.tastemaker.recommend.sources.ShopperHistories} and
 * {@link io.tastemaker.recommend.sources.Popularity}, served from PostgreSQL by the engagement
 * package and replayed offline by the evaluation, so both retrieve with this code.
 */
package io.tastemaker.recommend.sources;
