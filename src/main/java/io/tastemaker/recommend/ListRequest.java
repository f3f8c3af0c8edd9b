package io.tastemaker.recommend;

/**
 * What a storefront asks for: a surface and its subject (the shopper, the product on screen, the
 * shopper's words); any of the three may be null where the surface does not need it.
 */
public record ListRequest(Surface surface, String userId, String productId, String query) {

    public static ListRequest feed(String userId) {
        return new ListRequest(Surface.FEED, userId, null, null);
    }

    public static ListRequest similar(String productId, String userId) {
        return new ListRequest(Surface.SIMILAR, userId, productId, null);
    }

    public static ListRequest search(String query, String userId) {
        return new ListRequest(Surface.SEARCH, userId, null, query);
    }

    public static ListRequest assistant(String query, String userId) {
        return new ListRequest(Surface.ASSISTANT, userId, null, query);
    }
}
