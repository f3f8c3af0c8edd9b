package io.tastemaker.recommend;

import io.tastemaker.api.InvalidInputException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Which slice of a ranking a request wants. The cursor is opaque to clients: it encodes the
 * offset of the next page.
 */
public record Page(int offset, int limit) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    /** Deeper pages are not useful to shoppers and cost a wider nearest-neighbour search. */
    public static final int MAX_DEPTH = 1000;
    private static final String PREFIX = "o1:";

    public static Page parse(String limit, String cursor) {
        int size = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("limit", "must be a whole number between 1 and " + MAX_LIMIT);
            }
            if (size < 1 || size > MAX_LIMIT) {
                throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT + ", got " + size);
            }
        }
        int offset = 0;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                if (!decoded.startsWith(PREFIX)) {
                    throw new IllegalArgumentException();
                }
                offset = Integer.parseInt(decoded.substring(PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("cursor", "is not a cursor this service issued; pass nextCursor unchanged");
            }
            if (offset < 0 || offset >= MAX_DEPTH) {
                throw new InvalidInputException("cursor", "points outside the first " + MAX_DEPTH + " results");
            }
        }
        return new Page(offset, Math.min(size, MAX_DEPTH - offset));
    }

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

    /** The cursor of the following page, or null when this page was the last. */
    public String next(int returned) {
        int nextOffset = offset + limit;
        if (returned < limit || nextOffset >= MAX_DEPTH) {
            return null;
        }
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + nextOffset).getBytes(StandardCharsets.UTF_8));
    }
}
