package io.tastemaker.embedding;

import io.tastemaker.runtime.StartupState;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the embedding model is loaded and the vector store and index answer. It sits with the
 * model ({@link ActiveModel}), which serves through the index, so {@code vectors} need not know it.
 */
@Readiness
@ApplicationScoped
public class IndexReadiness implements HealthCheck {

    private final ActiveModel model;
    private final VectorStore store;
    private final VectorIndex index;
    private final StartupState startup;

    IndexReadiness(ActiveModel model, VectorStore store, VectorIndex index, StartupState startup) {
        this.model = model;
        this.store = store;
        this.index = index;
        this.startup = startup;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("vectors");
        if (!startup.started() || !model.loaded()) {
            return response.down().withData("reason", "starting").build();
        }
        if (!store.healthy()) {
            return response.down().withData("reason", "vector store unreachable").build();
        }
        try {
            return response.up().withData("model", model.version()).withData("products", index.count()).build();
        } catch (RuntimeException e) {
            return response.down().withData("reason", "index unavailable: " + e).build();
        }
    }
}
