package io.tastemaker.vectors;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the index keeps beside a product's vector: the fields filters run on, the fields a
 * recommendation shows (so answering needs no database round trip), and the hash of the text
 * the vector was computed from (so unchanged text is never embedded twice).
 */
public record ProductPayload(
        String title,
        String brand,
        List<String> categoryPath,
        List<String> tags,
        BigDecimal price,
        String currency,
        String imageUrl,
        boolean inStock,
        String textHash) {

    /**
     * The payload of a product the vector store could not be asked about (down, or out of time):
     * only its id is known. No payload filter matches it.
     */
    public static final ProductPayload UNKNOWN = new ProductPayload(null, null, List.of(), List.of(), null, null, null,
            false, null);

    public ProductPayload {
        categoryPath = List.copyOf(categoryPath);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** Whether this is {@link #UNKNOWN}: a stand-in, not what the store holds. */
    public boolean unknown() {
        return this == UNKNOWN;
    }

    public String category() {
        return String.join(" > ", categoryPath);
    }

    /**
     * The values a category filter matches, lower-cased: every path prefix ("home > lighting")
     * and every level's own name ("lighting"), so storefronts may filter by either.
     */
    public Set<String> categoryKeys() {
        Set<String> keys = new LinkedHashSet<>();
        StringBuilder prefix = new StringBuilder();
        for (String level : categoryPath) {
            String name = normalize(level);
            keys.add(name);
            prefix.append(prefix.isEmpty() ? "" : " > ").append(name);
            keys.add(prefix.toString());
        }
        return keys;
    }

    /** How filter values and payload values are compared: trimmed, case-insensitive. */
    public static String normalize(String value) {
        return value.trim().toLowerCase(Locale.ROOT);
    }
}
