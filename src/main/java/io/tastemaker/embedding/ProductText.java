package io.tastemaker.embedding;

import io.tastemaker.catalog.Product;
import io.tastemaker.vectors.ProductPayload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** What the model reads of a product, and what the index keeps beside its vector. */
public final class ProductText {

    /** bge reads at most 512 tokens; a longer description only costs time. */
    static final int MAX_DESCRIPTION_CHARS = 1200;

    private ProductText() {
    }

    public static String of(Product p) {
        StringBuilder text = new StringBuilder(p.title());
        if (p.brand() != null) {
            text.append(". Brand: ").append(p.brand());
        }
        text.append(". Category: ").append(p.category()).append('.');
        if (!p.description().isBlank()) {
            String d = p.description();
            text.append(' ').append(d.length() > MAX_DESCRIPTION_CHARS ? d.substring(0, MAX_DESCRIPTION_CHARS) : d);
        }
        return text.toString();
    }

    /** Identifies the vector: the same text under the same model needs no new embedding. */
    public static String hash(String modelVersion, String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(modelVersion.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            byte[] digest = sha.digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ProductPayload payload(Product p, String textHash) {
        return new ProductPayload(p.title(), p.brand(), p.categoryPath(), p.tags(), p.price(), p.currency(),
                p.imageUrl(), p.inStock(), textHash);
    }
}
