package io.tastemaker.runtime;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RuntimeModeTest {

    @Test
    void should_run_embedded_when_no_endpoint_is_configured() {
        RuntimeConfig config = config(null, null, 15432);

        assertThat(RuntimeMode.of(config)).isEqualTo(RuntimeMode.EMBEDDED);
        assertThat(RuntimeMode.problems(config)).isEmpty();
    }

    @Test
    void should_require_both_endpoints_in_production_naming_the_missing_setting() {
        assertThat(RuntimeMode.of(config("kafka:9092", null, 15432))).isEqualTo(RuntimeMode.PRODUCTION);
        assertThat(RuntimeMode.problems(config("kafka:9092", null, 15432)))
                .singleElement().asString().startsWith("tastemaker.database.url");
        assertThat(RuntimeMode.problems(config(null, "postgresql://db:5432/shop", 15432)))
                .singleElement().asString().startsWith("tastemaker.kafka.bootstrap-servers");
        assertThat(RuntimeMode.problems(config("kafka:9092,kafka2:9092", "postgresql://db:5432/shop", 15432))).isEmpty();
    }

    @Test
    void should_name_malformed_settings() {
        assertThat(RuntimeMode.problems(config("kafka", "jdbc:postgresql://db/shop", 15432)))
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith("tastemaker.kafka.bootstrap-servers must be host:port"))
                .anySatisfy(p -> assertThat(p).startsWith("tastemaker.database.url must look like"));
        assertThat(RuntimeMode.problems(config(null, null, 70000)))
                .singleElement().asString().startsWith("tastemaker.embedded.postgres-port");
    }

    /** The real mapping over the given settings only (no environment, no application.properties). */
    private static RuntimeConfig config(String kafka, String database, int postgresPort) {
        Map<String, String> settings = new HashMap<>();
        settings.put("tastemaker.embedded.postgres-port", String.valueOf(postgresPort));
        if (kafka != null) {
            settings.put("tastemaker.kafka.bootstrap-servers", kafka);
        }
        if (database != null) {
            settings.put("tastemaker.database.url", database);
        }
        return new SmallRyeConfigBuilder()
                .withMapping(RuntimeConfig.class)
                // durations as Quarkus reads them ("5s"), as the running service does
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withValidateUnknown(false)
                .withSources(new PropertiesConfigSource(settings, "test", 500))
                .build()
                .getConfigMapping(RuntimeConfig.class);
    }
}
