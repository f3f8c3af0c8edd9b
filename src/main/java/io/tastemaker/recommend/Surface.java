package io.tastemaker.recommend;

/** The storefront lists; merchandising rules can be scoped to some of them. */
public enum Surface {
    FEED, SIMILAR, SEARCH, ASSISTANT;

    public String key() {
        return name().toLowerCase();
    }
}
