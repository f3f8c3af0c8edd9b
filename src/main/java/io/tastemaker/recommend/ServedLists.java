package io.tastemaker.recommend;

import java.time.Instant;
import java.util.List;

/**
 * Where every list answer is recorded as it is served, so that the events which carry its
 * {@code recommId} back can be credited to its placement, model version, experiment variant and
 * merchandising rules. Recording never slows or fails the answer: an adapter queues and writes
 * in the background, and drops (and counts) what it cannot keep up with.
 */
public interface ServedLists {

    void record(ServedList list);

    /**
     * One list answer: {@code productIds} in position order from {@code firstPosition};
     * {@code ruleIds} parallel to them (the rules that touched each item, possibly none).
     * {@code userId}, {@code experimentId} and {@code variant} are null when they do not apply.
     */
    record ServedList(String recommId, Instant servedAt, String placement, Surface surface, String userId,
                      String modelVersion, Long experimentId, String variant, int firstPosition,
                      List<String> productIds, List<List<Long>> ruleIds) {
    }
}
