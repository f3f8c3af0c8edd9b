package io.tastemaker.models.training;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import java.util.List;

/**
 * A fine-tuned version served as its base model followed by a {@link ResidualAdapter}: the base
 * embeds, the adapter maps each vector into the fine-tuned space.
 */
public final class AdaptedEmbeddingModel implements EmbeddingModel {

    private final EmbeddingModel base;
    private final ResidualAdapter adapter;

    public AdaptedEmbeddingModel(EmbeddingModel base, ResidualAdapter adapter) {
        if (base.dimension() != adapter.dimension()) {
            throw new IllegalArgumentException("the adapter maps " + adapter.dimension() + "-dimensional vectors, the base model makes "
                    + base.dimension());
        }
        this.base = base;
        this.adapter = adapter;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        Response<List<Embedding>> embedded = base.embedAll(segments);
        List<Embedding> adapted = embedded.content().stream().map(e -> Embedding.from(adapter.apply(e.vector()))).toList();
        return Response.from(adapted, embedded.tokenUsage(), embedded.finishReason());
    }

    @Override
    public int dimension() {
        return adapter.dimension();
    }
}
