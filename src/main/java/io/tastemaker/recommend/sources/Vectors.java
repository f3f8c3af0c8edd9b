package io.tastemaker.recommend.sources;

import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorHit;
import io.tastemaker.vectors.VectorIndex;

import java.util.ArrayList;
import java.util.List;

/** The vector arithmetic the sources share. */
final class Vectors {

    private Vectors() {
    }

    /** The index's nearest neighbours of {@code vector} as one source's candidates, all with the same reason. */
    static Retrieved nearest(VectorIndex index, Source source, float[] vector, String because, VectorFilter filter,
                             int limit) {
        if (vector == null) {
            return Retrieved.none(source);
        }
        List<Candidate> candidates = new ArrayList<>(limit);
        for (VectorHit hit : index.search(vector, filter, limit)) {
            candidates.add(new Candidate(hit.id(), hit.score(), because));
        }
        return new Retrieved(source, candidates);
    }
}
