/**
 * The storefront lists (feed, more like this, search, assistant), as plain Java apart from the
 * service's CDI wiring. A list is {@code RecommendationService.answer()}
 * read top to bottom: the request's context (model version, shopper), its surface's
 * {@link io.tastemaker.recommend.SurfaceRecipe} retrieving from the
 * {@link io.tastemaker.recommend.sources candidate sources}, {@link io.tastemaker.recommend.Ranking}
 * (fusion, filters, merchandising rules, diversity), {@link io.tastemaker.recommend.RerankStep}
 * (the LLM, then the page). A new surface is a new recipe; a new signal is a new source.
 * The HTTP face (parameters, cursors, JSON) is {@link io.tastemaker.recommend.rest}.
 */
package io.tastemaker.recommend;
