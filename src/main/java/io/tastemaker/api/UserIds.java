package io.tastemaker.api;

import java.util.regex.Pattern;

/**
 * What a shopper's id may be: one rule for ids in events and in paths, here so that every
 * capability that takes a user id (engagement, profiles, lists, shopper data) checks it alike
 * without depending on another's code.
 */
public final class UserIds {

    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@\\-]{0,127}");
    public static final String RULE = "must be 1-128 characters of letters, digits and . _ : @ -, starting with a letter or digit";

    private UserIds() {
    }

    public static boolean valid(String userId) {
        return userId != null && PATTERN.matcher(userId).matches();
    }

    /** Throws {@link InvalidInputException} on {@code field} unless {@code userId} is valid. */
    public static void validate(String field, String userId) {
        if (!valid(userId)) {
            throw new InvalidInputException(field, RULE);
        }
    }
}
