package io.tastemaker.recommend;

/** The storefront lists; merchandising rules can be scoped to some of them. */
public enum Surface {
    FEED("home-feed"), SIMILAR("pdp-similar"), SEARCH("search"), ASSISTANT("assistant");

    private final String defaultPlacement;

    Surface(String defaultPlacement) {
        this.defaultPlacement = defaultPlacement;
    }

    public String key() {
        return name().toLowerCase();
    }

    /** The surface with this key ({@code feed}, {@code similar}...), case-insensitively. */
    public static java.util.Optional<Surface> byKey(String key) {
        return java.util.Arrays.stream(values()).filter(s -> s.key().equalsIgnoreCase(key)).findFirst();
    }

    /** The placement a list of this surface is reported under when the request names none. */
    public String defaultPlacement() {
        return defaultPlacement;
    }
}
