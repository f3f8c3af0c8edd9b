package io.tastemaker.recommend.rest;

import io.tastemaker.recommend.Ranking;
import io.tastemaker.recommend.Reason;
import io.tastemaker.vectors.ProductPayload;

import java.math.BigDecimal;
import java.util.List;

/**
 * One recommended product, as storefronts render it, with why it was chosen and its
 * {@code position} on the whole list (1-based; page 2 goes on where page 1 ended), which events
 * about it send back with the answer's recommId.
 */
public record RecommendationItem(String productId, int position, String title, BigDecimal price, String currency,
                                 String imageUrl, String category, String brand, double score, List<Reason> reasons) {

    static RecommendationItem of(Ranking.Ranked r, int position) {
        ProductPayload p = r.payload();
        return new RecommendationItem(r.productId(), position, p.title(), p.price(), p.currency(), p.imageUrl(),
                p.categoryPath().isEmpty() ? null : p.category(),
                p.brand(), Math.round(r.score() * 10_000) / 10_000.0, r.reasons());
    }
}
