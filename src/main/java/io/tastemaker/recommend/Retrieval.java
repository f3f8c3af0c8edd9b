package io.tastemaker.recommend;

import io.tastemaker.recommend.sources.Retrieved;
import io.tastemaker.vectors.VectorFilter;

import java.util.List;

/** A recipe's answer: the sources' candidate lists, the weights to fuse them with, and what the ranking must keep out. */
public record Retrieval(List<Retrieved> lists, Weights weights, VectorFilter allowed) {

    public Retrieval {
        lists = List.copyOf(lists);
    }
}
