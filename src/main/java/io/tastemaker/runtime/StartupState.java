package io.tastemaker.runtime;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether this instance has finished starting: the readiness checks report "starting" until the
 * composition root ({@code io.tastemaker.app.Bootstrap}) says so, and again once it begins to stop.
 * It lives here, not in the composition root, so the checks need not depend on what starts them.
 */
@ApplicationScoped
public class StartupState {

    private volatile boolean started;

    public boolean started() {
        return started;
    }

    public void started(boolean started) {
        this.started = started;
    }
}
