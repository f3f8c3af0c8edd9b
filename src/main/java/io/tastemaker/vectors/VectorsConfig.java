package io.tastemaker.vectors;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which vector store holds the product vectors. */
@ConfigMapping(prefix = "tastemaker.vectors")
public interface VectorsConfig {

    /** {@code embedded} (Lucene HNSW under the data directory); {@code qdrant} comes with the production issue. */
    @WithDefault("embedded")
    String backend();
}
