package io.tastemaker.recommend.sources;

/**
 * Each product's nearest neighbours in one version's collection, computed ahead of requests so
 * "more like this" and the feed's item-to-item step need no approximate search for a product
 * whose list is kept (the costliest step of a feed otherwise).
 */
public interface NeighbourLists {

    /** Nothing kept: every anchor is searched (offline, or before the first lists are built). */
    NeighbourLists NONE = (productId, k) -> null;

    /**
     * The product's nearest neighbours, best first, the product itself left out: at least
     * {@code k} of them, or every other product when the collection holds fewer. Null when the
     * product's list is not kept, or is shorter than {@code k} while more products exist.
     */
    Neighbours of(String productId, int k);
}
