package io.tastemaker.recommend.sources;

import io.tastemaker.vectors.VectorFilter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What shoppers engaged with after the anchors: link weights times anchor weights, summed.
 * Only the exclusions apply here (links carry no product fields): the ranking filters the rest.
 */
final class CoEngagementSource implements CandidateSource {

    private final CoEngagementGraph graph;

    CoEngagementSource(CoEngagementGraph graph) {
        this.graph = graph;
    }

    @Override
    public Source source() {
        return Source.CO_ENGAGEMENT;
    }

    @Override
    public Retrieved retrieve(Subject subject, VectorFilter allowed, int limit) {
        if (subject.anchors().isEmpty()) {
            return Retrieved.none(Source.CO_ENGAGEMENT);
        }
        Set<String> excluded = allowed.excludeIds();
        Map<String, Anchor> byId = new HashMap<>();
        subject.anchors().forEach(a -> byId.put(a.productId(), a));
        AnchoredScores scores = new AnchoredScores();
        graph.next(byId.keySet(), limit).forEach((from, next) -> {
            for (Candidate c : next) {
                if (!excluded.contains(c.productId()) && !byId.containsKey(c.productId())) {
                    scores.add(c.productId(), byId.get(from), c.score());
                }
            }
        });
        return scores.top(Source.CO_ENGAGEMENT, limit, Reasons::after);
    }
}
