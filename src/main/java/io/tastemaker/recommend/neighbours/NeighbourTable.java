package io.tastemaker.recommend.neighbours;

import io.tastemaker.recommend.sources.NeighbourLists;
import io.tastemaker.recommend.sources.Neighbours;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorHit;
import io.tastemaker.vectors.VectorIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The neighbour lists of one version's collection: {@code depth} nearest products per product,
 * computed by searching the collection once per product and kept up to date as products change.
 * Readers never lock: a list is replaced whole, never edited in place, so a request sees either
 * the old list or the new one. Writes come from one thread at a time ({@link PrecomputedNeighbours}).
 */
final class NeighbourTable implements NeighbourLists {

    private final VectorIndex index;
    private final int depth;
    private final Map<String, Neighbours> lists = new ConcurrentHashMap<>();
    /**
     * One string per product id that every list points at: a search returns fresh strings, and
     * 150 of them per list would cost more than the lists themselves.
     */
    private final Map<String, String> ids = new ConcurrentHashMap<>();
    /** Removed since the lists were computed: left out of answers until the lists are rebuilt. */
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    /** How many products the collection held when this table was last built or grown. */
    private volatile long collectionSize;

    NeighbourTable(VectorIndex index, int depth) {
        this.index = index;
        this.depth = depth;
    }

    @Override
    public Neighbours of(String productId, int k) {
        Neighbours list = lists.get(productId);
        if (list == null || k > depth) {
            return null;
        }
        if (removed.isEmpty()) {
            return list.size() >= Math.min(k, collectionSize - 1) ? list : null;
        }
        List<Integer> keep = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!removed.contains(list.ids()[i])) {
                keep.add(i);
            }
        }
        String[] keptIds = new String[keep.size()];
        float[] keptScores = new float[keep.size()];
        for (int i = 0; i < keptIds.length; i++) {
            keptIds[i] = list.ids()[keep.get(i)];
            keptScores[i] = list.scores()[keep.get(i)];
        }
        return keptIds.length >= Math.min(k, collectionSize - 1) ? new Neighbours(keptIds, keptScores) : null;
    }

    int size() {
        return lists.size();
    }

    /** Computes the list of each of these products (their vectors as stored), replacing what was kept. */
    void compute(Map<String, float[]> vectors) {
        collectionSize = index.count();
        vectors.forEach((id, vector) -> {
            removed.remove(id);
            lists.put(canonical(id), search(id, vector));
        });
    }

    /**
     * Products whose vector changed or which are new: their own lists are computed again, and each
     * one joins the lists of the products in its own list where it now ranks (cosine is symmetric:
     * it belongs there when it beats that list's last entry). What this misses until the next
     * rebuild: lists of products it is near but that are not near it (an outlier whose nearest
     * are far), and its old place in lists it no longer belongs to; the ranking looks every
     * candidate up, so a stale score never reaches an answer.
     */
    void changed(Map<String, float[]> vectors) {
        compute(vectors);
        vectors.keySet().forEach(id -> {
            Neighbours own = lists.get(id);
            for (int i = 0; own != null && i < own.size(); i++) {
                float score = own.scores()[i];
                lists.computeIfPresent(own.ids()[i], (neighbour, list) -> joined(list, canonical(id), score));
            }
        });
    }

    /** Products deleted from the collection. */
    void removed(Collection<String> productIds) {
        productIds.forEach(id -> {
            lists.remove(id);
            if (ids.containsKey(id)) {
                removed.add(id);
            }
        });
    }

    private Neighbours search(String productId, float[] vector) {
        List<VectorHit> hits = index.search(vector, VectorFilter.NONE, depth + 1);
        String[] found = new String[Math.min(depth, hits.size())];
        float[] scores = new float[found.length];
        int n = 0;
        for (VectorHit hit : hits) {
            if (n < found.length && !hit.id().equals(productId)) {
                found[n] = canonical(hit.id());
                scores[n++] = (float) hit.score();
            }
        }
        return n == found.length ? new Neighbours(found, scores)
                : new Neighbours(Arrays.copyOf(found, n), Arrays.copyOf(scores, n));
    }

    /** The list with {@code id} at its place by score (moved there if it was in the list already). */
    private Neighbours joined(Neighbours list, String id, float score) {
        int size = list.size();
        boolean full = size >= depth;
        if (full && score <= list.scores()[size - 1]) {
            return list; // not among this product's nearest
        }
        List<String> keptIds = new ArrayList<>(size + 1);
        List<Float> keptScores = new ArrayList<>(size + 1);
        boolean placed = false;
        for (int i = 0; i < size; i++) {
            if (list.ids()[i].equals(id)) {
                continue;
            }
            if (!placed && score > list.scores()[i]) {
                keptIds.add(id);
                keptScores.add(score);
                placed = true;
            }
            keptIds.add(list.ids()[i]);
            keptScores.add(list.scores()[i]);
        }
        if (!placed) {
            keptIds.add(id);
            keptScores.add(score);
        }
        int n = Math.min(depth, keptIds.size());
        String[] ids = new String[n];
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            ids[i] = keptIds.get(i);
            scores[i] = keptScores.get(i);
        }
        return new Neighbours(ids, scores);
    }

    private String canonical(String id) {
        return ids.computeIfAbsent(id, k -> k);
    }
}
