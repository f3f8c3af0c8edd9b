package io.tastemaker.attribution;

import io.tastemaker.recommend.ServedLists.ServedList;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One row of {@code served_lists}: what one list answer served. {@code ruleIds[i]} are the
 * comma-separated ids of the rules that boosted or pinned {@code productIds[i]}.
 */
record ServedListRow(String recommId, Instant servedAt, String placement, String modelVersion, Long experimentId,
                  String variant, String userId, List<String> productIds, List<String> ruleIds) {

    /** The row a served list is recorded as. */
    static ServedListRow of(ServedList s) {
        return new ServedListRow(s.recommId(), s.servedAt(), s.placement(), s.modelVersion(), s.experimentId(),
                s.variant(), s.userId(), s.productIds(), s.ruleIds().stream().map(ServedListRow::joined).toList());
    }

    /** One item's rule ids as stored: comma-separated, '' when none. */
    static String joined(List<Long> ruleIds) {
        return ruleIds.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The UTC day the list was served: its outcomes count on that day, whenever they happen. */
    LocalDate day() {
        return servedAt.atZone(ZoneOffset.UTC).toLocalDate();
    }

    boolean serves(String productId) {
        return productIds.contains(productId);
    }

    /** The rules that boosted or pinned this product in this list. */
    List<String> rulesOf(String productId) {
        int i = productIds.indexOf(productId);
        return i < 0 || i >= ruleIds.size() ? List.of() : split(ruleIds.get(i));
    }

    /** Every rule that moved at least one item of the list. */
    Set<String> rules() {
        Set<String> all = new LinkedHashSet<>();
        ruleIds.forEach(ids -> all.addAll(split(ids)));
        return all;
    }

    boolean inExperiment() {
        return experimentId != null && variant != null && userId != null;
    }

    private static List<String> split(String ids) {
        if (ids == null || ids.isBlank()) {
            return List.of();
        }
        List<String> rules = new ArrayList<>();
        for (String id : ids.split(",")) {
            if (!id.isBlank()) {
                rules.add(id.trim());
            }
        }
        return rules;
    }
}
