package io.tastemaker.db;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.tastemaker.runtime.InstanceRole;
import io.tastemaker.runtime.RuntimeConfig;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * PostgreSQL's part in readiness, by role (it replaces the datasource's own check, which knows no
 * roles). An {@code ingest} instance is ready only when PostgreSQL answers: every batch it applies is
 * a PostgreSQL transaction. An instance that serves ({@code api}, {@code all}) stays ready and says
 * {@code degraded}: lists keep answering from what is cached, while catalog and admin writes refuse
 * on their own. Asynchronous and bounded, so a probe never hangs on a hung database.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {

    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(800);

    private final Pool pool;
    private final InstanceRole role;

    DatabaseReadiness(Pool pool, RuntimeConfig runtime) {
        this.pool = pool;
        this.role = InstanceRole.of(runtime);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("postgresql").withData("role", role.configName());
        return pool.query("SELECT 1").execute()
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .map(rows -> response.up().build())
                .onFailure().recoverWithItem(e -> {
                    String reason = "unreachable: " + e;
                    if (!role.serves()) {
                        return response.down().withData("reason", reason).build();
                    }
                    return response.up().withData("database", reason)
                            .withData("degraded", "lists answer from what is cached; writes that need PostgreSQL answer 503")
                            .build();
                });
    }
}
