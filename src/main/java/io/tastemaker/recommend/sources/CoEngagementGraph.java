package io.tastemaker.recommend.sources;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Port: item-to-item links learnt from the order shoppers engage in. */
public interface CoEngagementGraph {

    /** For each product, its strongest outgoing links (score = link weight), best first. */
    Map<String, List<Candidate>> next(Collection<String> productIds, int perProduct);
}
