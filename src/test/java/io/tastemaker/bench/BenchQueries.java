package io.tastemaker.bench;

import java.util.List;

/** Fifty shopper queries of the kinds the demo catalog sells, as people type them. */
final class BenchQueries {

    static final List<String> QUERIES = List.of(
            "cozy reading lamp",
            "waterproof hiking boots",
            "mid-century floor lamp for the living room",
            "boucle accent chair",
            "washable rug for a kids room",
            "linen duvet cover set",
            "cast iron skillet",
            "espresso machine with milk frother",
            "speckled stoneware mug set",
            "floral midi dress for summer",
            "white leather sneakers",
            "waxed cotton field jacket",
            "suede chelsea boots",
            "laptop backpack for commuting",
            "dainty gold necklace",
            "fragrance-free moisturizer for sensitive skin",
            "noise cancelling headphones",
            "portable waterproof bluetooth speaker",
            "non-slip yoga mat",
            "ultralight backpacking tent",
            "self-watering planter",
            "magnetic building tiles for toddlers",
            "dotted notebook for bullet journaling",
            "scented candle gift set",
            "sleeper sofa for small apartment",
            "marble coffee table",
            "industrial bookshelf",
            "throw pillows for a sage green sofa",
            "botanical framed prints",
            "rattan bedside lamp",
            "cold brew coffee maker",
            "french press",
            "nonstick frying pan for induction",
            "travel mug that keeps coffee hot",
            "silk slip dress",
            "running shoes with memory foam insole",
            "rain jacket with hood",
            "work boots that can be resoled",
            "anti-theft travel backpack",
            "pearl pendant necklace",
            "night cream with ceramides",
            "wireless earbuds with long battery",
            "wooden train set",
            "cork yoga block",
            "down sleeping bag",
            "hanging planter for the balcony",
            "undated hardcover planner",
            "vanilla soy candle",
            "gift for a coffee lover",
            "scandinavian living room furniture");

    private BenchQueries() {
    }
}
