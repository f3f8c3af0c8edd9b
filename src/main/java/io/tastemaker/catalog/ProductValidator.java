package io.tastemaker.catalog;

import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The catalog's contract, applied identically to REST writes, NDJSON imports and records that
 * merchants write to the catalog topic directly.
 */
public final class ProductValidator {

    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,127}");
    static final BigDecimal MAX_PRICE = new BigDecimal("100000000");

    private ProductValidator() {
    }

    public static void validateId(String field, String id) {
        List<FieldError> errors = new ArrayList<>();
        checkId(errors, field, id);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    public static void validate(Product p) {
        List<FieldError> errors = new ArrayList<>();
        checkId(errors, "id", p.id());
        text(errors, "title", p.title(), 1, 300);
        text(errors, "description", p.description(), 0, 10_000);
        if (p.brand() != null) {
            text(errors, "brand", p.brand(), 1, 200);
        }
        if (p.categoryPath() == null || p.categoryPath().isEmpty()) {
            errors.add(new FieldError("categoryPath", "is required: a list such as [\"Home\", \"Lighting\"]"));
        } else if (p.categoryPath().size() > 8) {
            errors.add(new FieldError("categoryPath", "has more than 8 levels"));
        } else {
            for (int i = 0; i < p.categoryPath().size(); i++) {
                String segment = p.categoryPath().get(i);
                text(errors, "categoryPath[" + i + "]", segment, 1, 100);
                if (segment != null && segment.contains(">")) {
                    errors.add(new FieldError("categoryPath[" + i + "]", "must not contain '>'"));
                }
            }
        }
        if (p.tags().size() > 50) {
            errors.add(new FieldError("tags", "has more than 50 tags"));
        } else {
            for (int i = 0; i < p.tags().size(); i++) {
                text(errors, "tags[" + i + "]", p.tags().get(i), 1, 64);
            }
        }
        if (p.price() == null) {
            errors.add(new FieldError("price", "is required"));
        } else if (p.price().signum() < 0) {
            errors.add(new FieldError("price", "must not be negative"));
        } else if (p.price().compareTo(MAX_PRICE) >= 0 || p.price().scale() > 4) {
            errors.add(new FieldError("price", "must be below 100000000 with at most 4 decimals"));
        }
        if (p.currency() == null) {
            errors.add(new FieldError("currency", "is required: an ISO 4217 code such as USD"));
        } else if (!p.currency().matches("[A-Z]{3}") || !isKnownCurrency(p.currency())) {
            errors.add(new FieldError("currency", "must be an ISO 4217 code such as USD, got '" + p.currency() + "'"));
        }
        if (p.imageUrl() != null && !isHttpUrl(p.imageUrl())) {
            errors.add(new FieldError("imageUrl", "must be an absolute http(s) URL"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    private static void checkId(List<FieldError> errors, String field, String id) {
        if (id == null || id.isEmpty()) {
            errors.add(new FieldError(field, "is required"));
        } else if (!ID.matcher(id).matches()) {
            errors.add(new FieldError(field, "must be 1-128 characters of letters, digits, '.', '_', ':' or '-'"
                    + " starting with a letter or digit"));
        }
    }

    private static void text(List<FieldError> errors, String field, String value, int min, int max) {
        if (value == null || (min > 0 && value.isBlank())) {
            if (min > 0) {
                errors.add(new FieldError(field, "is required"));
            }
        } else if (value.length() > max) {
            errors.add(new FieldError(field, "is longer than " + max + " characters"));
        }
    }

    private static boolean isKnownCurrency(String code) {
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
