package io.tastemaker.db;

import io.tastemaker.runtime.InstanceRole;
import io.tastemaker.runtime.RuntimeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;


/**
 * PostgreSQL's part in readiness, by role (it replaces the datasource's own check, which knows no
 * roles). An {@code ingest} instance is ready only when PostgreSQL answers: every batch it applies is
 * a PostgreSQL transaction. An instance that serves ({@code api}, {@code all}) stays ready and says
 * {@code degraded}: lists keep answering from what is cached, while writes that need PostgreSQL
 * refuse on their own. Reads {@link DatabaseWatch}'s last probe, so a check never waits on a hung
 * database nor takes one of its pooled connections.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    private final DatabaseWatch watch;
    private final InstanceRole role;

    DatabaseReadiness(DatabaseWatch watch, RuntimeConfig runtime) {
        this.watch = watch;
        this.role = InstanceRole.of(runtime);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("postgresql").withData("role", role.configName());
        if (watch.answering()) {
            return response.up().build();
        }
        String reason = "unreachable: " + watch.lastFailure();
        if (!role.serves()) {
            return response.down().withData("reason", reason).build();
        }
        return response.up().withData("database", reason)
                .withData("degraded", "lists answer from what is cached; writes that need PostgreSQL answer 503")
                .build();
    }
}
