package io.tastemaker.models.training;

import java.util.List;

/**
 * Port: the learnt links that become training pairs, paged in key order for exports that walk
 * them all. The engagement store keeps them and implements this, so training does not depend on
 * engagement.
 */
public interface TrainingLinks {

    /** A link: shoppers who engaged with {@code from} (a product, or a query's words) went on to {@code to}, this strongly. */
    record Link(String from, String to, double weight) {
    }

    /**
     * Up to {@code limit} product → product co-engagement links of at least {@code minWeight}, in
     * (from, to) order after the given pair (from the start when {@code afterFrom} is null).
     */
    List<Link> linksAfter(String afterFrom, String afterTo, double minWeight, int limit);

    /** As {@link #linksAfter}, for query → product links (from = the normalised query). */
    List<Link> queryLinksAfter(String afterQuery, String afterProduct, double minWeight, int limit);
}
