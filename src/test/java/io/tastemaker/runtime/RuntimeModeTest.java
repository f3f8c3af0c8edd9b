package io.tastemaker.runtime;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

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

    private static RuntimeConfig config(String kafka, String database, int postgresPort) {
        return new RuntimeConfig() {
            public Path dataDir() {
                return Path.of("data");
            }

            public String role() {
                return "all";
            }

            public Kafka kafka() {
                return () -> Optional.ofNullable(kafka);
            }

            public Database database() {
                return new Database() {
                    public Optional<String> url() {
                        return Optional.ofNullable(database);
                    }

                    public Optional<String> username() {
                        return Optional.empty();
                    }
                };
            }

            public Embedded embedded() {
                return new Embedded() {
                    public int postgresPort() {
                        return postgresPort;
                    }

                    public int kafkaPort() {
                        return 19092;
                    }

                    public int kafkaControllerPort() {
                        return 19093;
                    }
                };
            }
        };
    }
}
