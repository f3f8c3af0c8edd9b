package io.tastemaker.recommend.sources;

/**
 * A product to start from: the one on screen, or one the shopper engaged with recently
 * ({@code weight} falls with age). {@code vector} and {@code title} are null when the index
 * does not know the product.
 */
public record Anchor(String productId, String title, float[] vector, double weight, String verb) {

    String name() {
        return title == null ? "an item you " + verb : title;
    }

    /** The product on screen: "often chosen next after X" reads better than "because you viewed X". */
    boolean onScreen() {
        return verb == null;
    }
}
