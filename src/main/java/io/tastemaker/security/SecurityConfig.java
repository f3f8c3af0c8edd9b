package io.tastemaker.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Keys, rate limits and request limits ({@code tastemaker.security.*}). */
@ConfigMapping(prefix = "tastemaker.security")
public interface SecurityConfig {

    /**
     * A file holding an operator key's secret ({@code tm_live_…}), e.g. a mounted Kubernetes
     * secret: registered at start if it is not yet, so production has a first operator.
     */
    Optional<Path> bootstrapOperatorKeyFile();

    /** How often each instance asks whether keys changed: a revocation is refused everywhere within about this. */
    @WithDefault("250ms")
    Duration keyPollInterval();

    /** How often the last-used times of keys are written (off the request path, in one statement). */
    @WithDefault("10s")
    Duration lastUsedFlushInterval();

    /**
     * How the groups in a JWT's role claim become our roles: {@code "shop-merch" = merchandiser}.
     * A group named like one of our roles counts as it; every other group is ignored.
     */
    Map<String, String> jwtRoles();

    RateLimit rateLimit();

    Limits limits();

    interface RateLimit {
        /** Requests per second one storefront key may make (every browser of a shop shares it). */
        @WithDefault("2000")
        int storefrontPerKey();

        /** Requests per second any other key may make, unless the key sets its own. */
        @WithDefault("50")
        int perKey();

        /** Requests per second one client address may make with a storefront key or none. */
        @WithDefault("50")
        int perClient();

        /** A burst of this many seconds' worth of requests is allowed before limiting starts. */
        @WithDefault("2")
        int burstSeconds();
    }

    interface Limits {
        /** Largest request body, in bytes, of endpoints other than events and the catalog import. */
        @WithDefault("262144")
        long maxBodyBytes();

        /** Largest {@code POST /v1/events} body (500 events). */
        @WithDefault("2097152")
        long maxEventsBodyBytes();
    }
}
