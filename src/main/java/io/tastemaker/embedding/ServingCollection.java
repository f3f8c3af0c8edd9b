package io.tastemaker.embedding;

import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorStore;
import io.tastemaker.vectors.VectorStoreProducer;
import io.tastemaker.vectors.VectorsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/**
 * Opens, in the vector store, the collection of the configured embedding model
 * ({@code products-<model version>}), points the serving alias at it when the alias is new, and
 * offers the {@link VectorIndex} every reader uses: whichever collection serves now.
 */
@ApplicationScoped
public class ServingCollection {

    private static final Logger LOG = Logger.getLogger(ServingCollection.class);

    /**
     * The serving collection. Starts with the configured model's; the model registry switches it
     * to the active version's at start-up and on every promotion.
     */
    @Produces
    @ApplicationScoped
    VectorIndex vectorIndex(VectorStore store, VectorsConfig config, ActiveModel model) {
        String collection = VectorStoreProducer.collectionFor(model.configuredVersion());
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
}
