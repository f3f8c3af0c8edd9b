package io.tastemaker.recommend.sources;

import io.tastemaker.recommend.sources.Candidate;
import java.util.List;

/** One source's candidates, best first. */
public record Retrieved(Source source, List<Candidate> candidates) {

    public Retrieved {
        candidates = List.copyOf(candidates);
    }

    /** Only the candidates that {@code other} also proposes (e.g. popularity among search matches). */
    public Retrieved restrictedTo(Retrieved other) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        other.candidates().forEach(c -> ids.add(c.productId()));
        return new Retrieved(source, candidates.stream().filter(c -> ids.contains(c.productId())).toList());
    }

    public static Retrieved none(Source source) {
        return new Retrieved(source, List.of());
    }
}
