package io.tastemaker.admission;

import java.util.regex.Pattern;

/**
 * The classes of work an instance admits separately, told apart by method and path alone (on
 * the event loop, before anything is queued): the storefront's lists (a batch of lists takes one
 * place at the door, and more as it runs only if they are free), which compete for worker
 * threads and CPU, and the writes that need PostgreSQL (rules, keys, models, rebuilds, erasure).
 * Events and catalog writes are neither: they go to Kafka, which keeps them while the database
 * is away, and their own guards (body limits, the broker's acknowledgement) bound them.
 */
public enum RequestClass {
    LISTS("lists"),
    WRITES("writes"),
    OTHER("other");

    private static final Pattern FEED = Pattern.compile("/v1/users/[^/]+/feed");
    private static final Pattern SIMILAR = Pattern.compile("/v1/products/[^/]+/similar");
    private static final Pattern SHOPPER = Pattern.compile("/v1/users/[^/]+");

    private final String key;

    RequestClass(String key) {
        this.key = key;
    }

    /** How metrics and documentation name the class. */
    public String key() {
        return key;
    }

    public static RequestClass of(String method, String path) {
        boolean read = method.equals("GET");
        boolean write = method.equals("POST") || method.equals("PUT") || method.equals("DELETE") || method.equals("PATCH");
        if (read && (path.equals("/v1/search") || FEED.matcher(path).matches() || SIMILAR.matcher(path).matches())
                || method.equals("POST") && (path.equals("/v1/assistant/suggestions")
                || path.equals("/v1/recommendations:batch") || path.equals("/v1/merchandising/preview"))) {
            return LISTS;
        }
        if (write && (path.startsWith("/v1/merchandising/") || path.startsWith("/v1/admin/")
                || path.equals("/v1/models") || path.startsWith("/v1/models/")
                || method.equals("DELETE") && SHOPPER.matcher(path).matches())) {
            return WRITES;
        }
        return OTHER;
    }
}
