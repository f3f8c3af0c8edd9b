package io.tastemaker.recommend.rest;

import io.tastemaker.recommend.Ranking;
import io.tastemaker.recommend.Reason;
import io.tastemaker.vectors.ProductPayload;

import java.math.BigDecimal;
import java.util.List;

/** One recommended product, as storefronts render it, with why it was chosen. */
public record RecommendationItem(String productId, String title, BigDecimal price, String currency, String imageUrl,
                                 String category, String brand, double score, List<Reason> reasons) {

    static RecommendationItem of(Ranking.Ranked r) {
        ProductPayload p = r.payload();
        return new RecommendationItem(r.productId(), p.title(), p.price(), p.currency(), p.imageUrl(),
                p.categoryPath().isEmpty() ? null : p.category(),
                p.brand(), Math.round(r.score() * 10_000) / 10_000.0, r.reasons());
    }
}
