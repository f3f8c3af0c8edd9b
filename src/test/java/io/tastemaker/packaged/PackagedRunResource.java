package io.tastemaker.packaged;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Gives a {@code @QuarkusIntegrationTest} its {@link PackagedRun}: the settings go to the
 * launched jar as system properties, and the run itself into the test's {@code PackagedRun} field.
 */
public class PackagedRunResource implements QuarkusTestResourceLifecycleManager {

    private PackagedRun run;

    @Override
    public Map<String, String> start() {
        run = PackagedRun.prepare("quarkus-integration-test");
        return run.systemProperties();
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(run, new TestInjector.MatchesType(PackagedRun.class));
    }

    @Override
    public void stop() {
        // the data directory stays under target/ for a look after a failure; the next run empties it
    }
}
