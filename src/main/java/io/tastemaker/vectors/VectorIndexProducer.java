package io.tastemaker.vectors;

import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.runtime.RuntimeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** Opens the configured vector index: one collection per embedding-model version. */
@ApplicationScoped
public class VectorIndexProducer {

    @Produces
    @ApplicationScoped
    VectorIndex vectorIndex(VectorsConfig config, RuntimeConfig runtime, ActiveModel model) {
        if (!"embedded".equals(config.backend())) {
            throw new IllegalStateException("tastemaker.vectors.backend must be 'embedded' in this version, got '"
                    + config.backend() + "'");
        }
        model.load();
        return LuceneVectorIndex.open(runtime.dataDir().resolve("vectors").resolve("products-" + model.version()));
    }

    void close(@Disposes VectorIndex index) {
        index.close();
    }
}
