package io.tastemaker.runtime;

import java.util.Locale;

/**
 * What this instance does ({@code tastemaker.role}): {@code all} serves the API and runs the
 * consumers, {@code api} only serves, {@code ingest} only consumes. Readiness asks it which
 * dependencies this instance cannot do without.
 */
public enum InstanceRole {
    ALL, API, INGEST;

    /** The configured role; {@link RuntimeMode#problems} has refused any other value at start. */
    public static InstanceRole of(RuntimeConfig config) {
        return valueOf(config.role().toUpperCase(Locale.ROOT));
    }

    /** Answers API requests, so a load balancer should keep sending it reads while it can answer them. */
    public boolean serves() {
        return this != INGEST;
    }

    /** Runs the consumers (catalog store, embedding, engagement). */
    public boolean ingests() {
        return this != API;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
