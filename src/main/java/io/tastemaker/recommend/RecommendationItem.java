package io.tastemaker.recommend;

import java.math.BigDecimal;
import java.util.List;

/** One recommended product, as storefronts render it, with why it was chosen. */
public record RecommendationItem(String productId, String title, BigDecimal price, String currency, String imageUrl,
                                 String category, String brand, double score, List<Reason> reasons) {

    public record Reason(String source, String detail) {
    }
}
