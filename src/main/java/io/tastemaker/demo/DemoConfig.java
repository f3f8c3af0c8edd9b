package io.tastemaker.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The demo catalog the run command loads on a fresh data directory. */
@ConfigMapping(prefix = "tastemaker.demo")
public interface DemoConfig {

    @WithDefault("false")
    boolean enabled();

    @WithDefault("6000")
    int products();

    @WithDefault("42")
    long seed();
}
