package io.tastemaker.vectors;

import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.runtime.RuntimeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/**
 * Opens the configured vector store and, in it, the collection of the configured embedding model
 * ({@code products-<model version>}); points the serving alias at it when the alias is new.
 */
@ApplicationScoped
public class VectorIndexProducer {

    private static final Logger LOG = Logger.getLogger(VectorIndexProducer.class);

    @Produces
    @ApplicationScoped
    VectorStore vectorStore(VectorsConfig config, RuntimeConfig runtime) {
        return switch (config.backend()) {
            case "embedded" -> new LuceneVectorStore(runtime.dataDir().resolve("vectors"));
            case "qdrant" -> QdrantVectorStore.connect(config.qdrant());
            default -> throw new IllegalStateException("tastemaker.vectors.backend must be 'embedded' or 'qdrant', got '"
                    + config.backend() + "'");
        };
    }

    /**
     * The serving collection. Starts with the configured model's; the model registry switches it
     * to the active version's at start-up and on every promotion.
     */
    @Produces
    @ApplicationScoped
    VectorIndex vectorIndex(VectorStore store, VectorsConfig config, ActiveModel model) {
        String collection = collectionFor(model.configuredVersion());
        VectorIndex index = store.collection(collection, model.configuredModel().dimension());
        if (store.aliasTarget(config.alias()).isEmpty()) {
            store.pointAlias(config.alias(), collection);
            LOG.infof("Alias %s now points at %s", config.alias(), collection);
        }
        if (!model.loaded()) {
            model.activate(new ActiveModel.Serving(model.configuredVersion(), model.configuredModel(), index));
        }
        return new ServingIndex(model);
    }

    /** One collection per model version: vectors of different models must never be compared. */
    public static String collectionFor(String modelVersion) {
        return "products-" + modelVersion.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    void close(@Disposes VectorStore store) {
        store.close();
    }
}
