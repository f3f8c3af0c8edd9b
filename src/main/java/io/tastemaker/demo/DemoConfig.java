package io.tastemaker.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** The demo catalog loaded on a fresh data directory (an empty catalog topic). */
@ConfigMapping(prefix = "tastemaker.demo")
public interface DemoConfig {

    /** On by default in embedded mode, off in production mode. */
    Optional<Boolean> enabled();

    @WithDefault("6000")
    int products();

    @WithDefault("42")
    long seed();
}
