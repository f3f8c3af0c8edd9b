package io.tastemaker.recommend.sources;

import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorMath;
import io.tastemaker.vectors.VectorRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shopper's taste profile: its nearest neighbours; or, among what another source matched
 * (search), each match scored by its cosine to the taste, so the taste reorders the matches
 * without adding others.
 */
final class TasteSource implements CandidateSource {

    private final VectorIndex index;

    TasteSource(VectorIndex index) {
        this.index = index;
    }

    @Override
    public Source source() {
        return Source.PROFILE;
    }

    @Override
    public Retrieved retrieve(Subject subject, VectorFilter allowed, int limit) {
        TasteProfile profile = subject.profile();
        if (profile == null || profile.direction() == null) {
            return Retrieved.none(Source.PROFILE);
        }
        return subject.among() == null
                ? Vectors.nearest(index, Source.PROFILE, profile.direction(), Reasons.taste(profile), allowed, limit)
                : among(profile, subject.among());
    }

    private Retrieved among(TasteProfile profile, Retrieved found) {
        if (found.candidates().isEmpty()) {
            return Retrieved.none(Source.PROFILE);
        }
        Map<String, VectorRecord> records = index.get(found.candidates().stream().map(Candidate::productId).toList());
        String because = Reasons.taste(profile);
        double directionNorm = VectorMath.norm(profile.direction());
        List<Candidate> scored = new ArrayList<>(records.size());
        for (Candidate c : found.candidates()) {
            VectorRecord r = records.get(c.productId());
            if (r != null) {
                double norms = directionNorm * r.norm();
                double cosine = norms == 0 ? 0 : VectorMath.dot(profile.direction(), r.vector()) / norms;
                scored.add(new Candidate(c.productId(), cosine, because));
            }
        }
        scored.sort((a, b) -> Double.compare(b.score(), a.score()));
        return new Retrieved(Source.PROFILE, scored);
    }
}
