package io.tastemaker.recommend;

import io.tastemaker.recommend.sources.Retrieved;
import io.tastemaker.recommend.sources.SimilarityCompletion;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorRecord;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A recipe's answer: the sources' candidate lists, the weights to fuse them with, what the
 * ranking must keep out, and the candidates' records retrieval already read (the ranking looks up
 * only the others: its second look-up of the best candidates was 2 % of a feed's CPU).
 */
public record Retrieval(List<Retrieved> lists, Weights weights, VectorFilter allowed, Map<String, VectorRecord> records) {

    public Retrieval {
        lists = List.copyOf(lists);
        records = Collections.unmodifiableMap(records); // not copied: hundreds of entries, built for this request
    }

    /** Lists for which retrieval read no records. */
    public Retrieval(List<Retrieved> lists, Weights weights, VectorFilter allowed) {
        this(lists, weights, allowed, Map.of());
    }

    /** The completed lists with the records the completion read. */
    static Retrieval of(SimilarityCompletion.Completed completed, Weights weights, VectorFilter allowed) {
        return new Retrieval(completed.lists(), weights, allowed, completed.records());
    }
}
