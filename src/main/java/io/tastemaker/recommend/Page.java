package io.tastemaker.recommend;

/** Which slice of a ranking a request wants (clients page with an opaque cursor: see the REST layer's {@code Cursor}). */
public record Page(int offset, int limit) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    /** Deeper pages are not useful to shoppers and cost a wider nearest-neighbour search. */
    public static final int MAX_DEPTH = 1000;

    /** Pages rank the same window of candidates (see {@link #depth()}). */
    static final int WINDOW = 100;

    /**
     * How many ranked candidates to ask the index for: the end of this page rounded up to a whole
     * window. Approximate nearest-neighbour search can order results differently for different
     * k, so asking for exactly offset + limit would let page 2 repeat or skip what page 1 showed;
     * every page within a window ranks the same candidates.
     */
    public int depth() {
        int end = offset + limit;
        return Math.min(MAX_DEPTH, (end + WINDOW - 1) / WINDOW * WINDOW);
    }

    /** Where the following page starts, or -1 when this page was the last. */
    public int nextOffset(int returned) {
        int nextOffset = offset + limit;
        return returned < limit || nextOffset >= MAX_DEPTH ? -1 : nextOffset;
    }
}
