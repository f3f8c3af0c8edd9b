package io.tastemaker.recommend;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the price a shopper states in words ("cozy reading nook under $200", "gifts between 20
 * and 50 dollars", "over €100") so it becomes a filter, and leaves the rest as the query: an
 * embedding model does not know that 180 is under 200.
 */
public record ShoppingRequest(String query, BigDecimal minPrice, BigDecimal maxPrice) {

    private static final String AMOUNT = "(?:[$€£]\\s?)?(\\d+(?:[.,]\\d{1,2})?)(?:\\s?(?:dollars|usd|euros?|eur|pounds|gbp|bucks))?";
    private static final Pattern BETWEEN = Pattern.compile("\\b(?:between|from)\\s+" + AMOUNT + "\\s+(?:and|to|-)\\s+" + AMOUNT,
            Pattern.CASE_INSENSITIVE);
    private static final Pattern UNDER = Pattern.compile("\\b(?:under|below|less than|cheaper than|up to|at most|max(?:imum)?|<)\\s*" + AMOUNT,
            Pattern.CASE_INSENSITIVE);
    private static final Pattern OVER = Pattern.compile("\\b(?:over|above|more than|at least|min(?:imum)?|>)\\s*" + AMOUNT,
            Pattern.CASE_INSENSITIVE);

    public static ShoppingRequest read(String text) {
        String rest = text;
        BigDecimal min = null;
        BigDecimal max = null;
        Matcher between = BETWEEN.matcher(rest);
        if (between.find()) {
            min = amount(between.group(1));
            max = amount(between.group(2));
            rest = cut(rest, between);
        }
        Matcher under = UNDER.matcher(rest);
        if (max == null && under.find()) {
            max = amount(under.group(1));
            rest = cut(rest, under);
        }
        Matcher over = OVER.matcher(rest);
        if (min == null && over.find()) {
            min = amount(over.group(1));
            rest = cut(rest, over);
        }
        if (min != null && max != null && min.compareTo(max) > 0) {
            BigDecimal swap = min;
            min = max;
            max = swap;
        }
        String query = rest.replaceAll("\\s+", " ").replaceAll("\\s+([,.!?])", "$1").trim();
        return new ShoppingRequest(query.isEmpty() ? text.trim() : query, min, max);
    }

    private static BigDecimal amount(String digits) {
        return new BigDecimal(digits.replace(',', '.'));
    }

    private static String cut(String text, Matcher m) {
        return text.substring(0, m.start()) + " " + text.substring(m.end());
    }
}
