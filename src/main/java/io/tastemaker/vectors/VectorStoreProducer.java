package io.tastemaker.vectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tastemaker.resilience.Dependency;

import io.tastemaker.runtime.RuntimeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/**
 * Opens the configured vector store (embedded Lucene or Qdrant). The serving collection in it is
 * opened by {@code embedding.ServingCollection}, which knows the model.
 */
@ApplicationScoped
public class VectorStoreProducer {

    private static final Logger LOG = Logger.getLogger(VectorStoreProducer.class);

    @Produces
    @ApplicationScoped
    VectorStore vectorStore(VectorsConfig config, RuntimeConfig runtime, MeterRegistry registry) {
        return switch (config.backend()) {
            case "embedded" -> new LuceneVectorStore(runtime.dataDir().resolve("vectors"));
            case "qdrant" -> {
                QdrantVectorStore qdrant = QdrantVectorStore.connect(config.qdrant());
                Dependency dependency = qdrant.dependency();
                Gauge.builder("tastemaker.dependency.circuit.state", dependency, Dependency::stateValue)
                        .description("0 closed, 0.5 half-open, 1 open: whether calls to the dependency are skipped")
                        .tag("dependency", dependency.name()).register(registry);
                yield qdrant;
            }
            default -> throw new IllegalStateException("tastemaker.vectors.backend must be 'embedded' or 'qdrant', got '"
                    + config.backend() + "'");
        };
    }

    /** One collection per model version: vectors of different models must never be compared. */
    public static String collectionFor(String modelVersion) {
        return "products-" + modelVersion.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    void close(@Disposes VectorStore store) {
        store.close();
    }
}
