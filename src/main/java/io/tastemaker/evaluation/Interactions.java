package io.tastemaker.evaluation;

import io.tastemaker.catalog.Product;
import io.tastemaker.embedding.ProductText;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Shoppers' interaction sequences (oldest first) over items numbered 1..itemCount, with item
 * titles: what an offline evaluation replays. Read from a path, never copied into the project
 * ({@link Datasets} reads each layout).
 *
 * @param category the catalog category every item is given, so a title becomes the product text
 *                 the service would embed ({@link ProductText#of}); null when the titles already
 *                 are those texts (the service's own export)
 */
public record Interactions(int itemCount, List<int[]> sequences, Map<Integer, String> titles, String category) {

    /** A Beauty-like dataset: every item in the category "Beauty". */
    public Interactions(int itemCount, List<int[]> sequences, Map<Integer, String> titles) {
        this(itemCount, sequences, titles, "Beauty");
    }

    /** An item as a catalog product: its title is all the text there is. */
    Product product(int item) {
        String title = titles.getOrDefault(item, "");
        return new Product(BlendEvaluation.id(item), title.isBlank() ? "item " + item : title, "", null,
                category == null ? List.of() : List.of(category), List.of(), BigDecimal.ONE, "USD", null, true, null);
    }

    /** What the model reads of an item: the service's product text, or the exported text as it is. */
    String productText(int item) {
        if (category == null) {
            String text = titles.getOrDefault(item, "");
            return text.isBlank() ? "item " + item : text;
        }
        return ProductText.of(product(item));
    }
}
