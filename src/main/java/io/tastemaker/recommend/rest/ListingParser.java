package io.tastemaker.recommend.rest;

import io.tastemaker.api.InvalidInputException;
import io.tastemaker.recommend.Listing;
import io.tastemaker.recommend.Page;
import io.tastemaker.recommend.Surface;
import io.tastemaker.recommend.sources.Source;
import io.tastemaker.vectors.VectorFilter;

import java.math.BigDecimal;
import java.util.List;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumMap;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the listing part of a storefront request (filters, exclusions, page, cursor, source
 * weights, rerank, placement) from its query parameters or its JSON body, by the same rules,
 * naming the parameter or field when it is wrong. The cursor is opaque to clients: it
 * encodes the offset of the next page.
 */
final class ListingParser {

    private static final String CURSOR_PREFIX = "o1:";
    private static final Pattern PLACEMENT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private ListingParser() {
    }

    static Page page(String limit, String cursor) {
        int size = Page.DEFAULT_LIMIT;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("limit", "must be a whole number between 1 and " + Page.MAX_LIMIT);
            }
            if (size < 1 || size > Page.MAX_LIMIT) {
                throw new InvalidInputException("limit", "must be between 1 and " + Page.MAX_LIMIT + ", got " + size);
            }
        }
        int offset = 0;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                if (!decoded.startsWith(CURSOR_PREFIX)) {
                    throw new IllegalArgumentException();
                }
                offset = Integer.parseInt(decoded.substring(CURSOR_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("cursor", "is not a cursor this service issued; pass nextCursor unchanged");
            }
            if (offset < 0 || offset >= Page.MAX_DEPTH) {
                throw new InvalidInputException("cursor", "points outside the first " + Page.MAX_DEPTH + " results");
            }
        }
        return new Page(offset, Math.min(size, Page.MAX_DEPTH - offset));
    }

    /** The cursor of the page starting at {@code offset}, or null for none (a negative offset). */
    static String cursor(int offset) {
        return offset < 0 ? null : Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + offset).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a per-request override such as {@code coEngagement:2,trending:0} (for experiments),
     * naming the {@code field} when it is wrong.
     */
    static Map<Source, Double> weights(String field, String text) {
        Map<String, Double> byKey = new java.util.LinkedHashMap<>();
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",")) {
                String[] kv = part.split(":", 2);
                double weight;
                try {
                    weight = kv.length == 2 ? Double.parseDouble(kv[1].trim()) : Double.NaN;
                } catch (NumberFormatException e) {
                    weight = Double.NaN;
                }
                byKey.put(kv[0].trim(), weight);
            }
        }
        return weights(field, byKey);
    }

    /** The same override given as a map of source keys to weights (a JSON body). */
    static Map<Source, Double> weights(String field, Map<String, Double> byKey) {
        Map<Source, Double> override = new EnumMap<>(Source.class);
        if (byKey == null) {
            return override;
        }
        String known = java.util.Arrays.stream(Source.values()).map(Source::key).collect(Collectors.joining(", "));
        byKey.forEach((key, weight) -> {
            Source source = Source.byKey(key).orElseThrow(() -> new InvalidInputException(field,
                    "names an unknown source '" + key + "'; sources are " + known));
            if (weight == null || !(weight >= 0 && weight <= 1000)) {
                throw new InvalidInputException(field, "must look like 'coEngagement:2,trending:0' with weights from 0 to 1000");
            }
            override.put(source, weight);
        });
        return override;
    }

    /**
     * The listing part of a JSON body (the assistant, a part of a batch): the same rules as the
     * query parameters of the GET lists, fields named as the body names them ({@code filters.minPrice}).
     */
    static Listing listing(ListFilters filters, Integer limit, String cursor, List<String> exclude,
                           Map<String, Double> weights, Boolean rerank, String placement) {
        ListFilters f = filters == null ? ListFilters.NONE : filters;
        VectorFilter filter = Filters.parse(f.category(), f.brand(), plain(f.minPrice()), plain(f.maxPrice()),
                        f.inStock() == null ? null : f.inStock().toString(), "filters.")
                .excluding(Filters.productIds("exclude", exclude == null ? List.of() : exclude));
        return new Listing(filter, page(limit == null ? null : limit.toString(), cursor), weights("weights", weights),
                rerank == null || rerank, placement("placement", placement));
    }

    private static String plain(BigDecimal price) {
        return price == null ? null : price.toPlainString();
    }

    /**
     * A placement name as storefronts report lists under ({@code home-feed}, {@code pdp-similar},
     * {@code cart-upsell}...): lower-case letters, digits, '-' and '_', at most 64; null when absent.
     */
    static String placement(String field, String text) {
        if (text == null) {
            return null;
        }
        if (!PLACEMENT.matcher(text).matches()) {
            throw new InvalidInputException(field, "must be 1 to 64 lower-case letters, digits, '-' or '_', starting with"
                    + " a letter or digit (e.g. home-feed, pdp-similar)");
        }
        return text;
    }

    /** A surface named in a request body ({@code feed}, {@code similar}, {@code search}, {@code assistant}). */
    static Surface surface(String field, String name) {
        String known = java.util.Arrays.stream(Surface.values()).map(Surface::key).collect(Collectors.joining(", "));
        if (name == null) {
            throw new InvalidInputException(field, "is required: one of " + known);
        }
        return Surface.byKey(name).orElseThrow(() -> new InvalidInputException(field, "must be one of " + known
                + ", got '" + name + "'"));
    }

    /** {@code rerank=true|false}; absent means true. */
    static boolean rerank(String field, String text) {
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("true")) {
            return true;
        }
        if (text.trim().equalsIgnoreCase("false")) {
            return false;
        }
        throw new InvalidInputException(field, "must be true or false, got '" + text + "'");
    }
}
