package io.tastemaker.runtime;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Secrets mounted as files reach the configuration under the names operators already use. */
class SecretFilesConfigSourceTest {

    @TempDir
    Path secrets;

    @Test
    void should_read_each_file_as_the_setting_it_is_named_after() throws Exception {
        Files.writeString(secrets.resolve("TASTEMAKER_DATABASE_PASSWORD"), "pg-s3cret\n");
        Files.writeString(secrets.resolve("TASTEMAKER_KAFKA_SASL_JAAS_CONFIG"),
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"tm\" password=\"p\";\n");
        Files.writeString(secrets.resolve("tastemaker.vectors.qdrant.api-key"), "qdrant-key");
        // what Kubernetes keeps next to the keys of a Secret volume
        Files.createDirectory(secrets.resolve("..2026_12_05_12_00_00.1"));
        Files.writeString(secrets.resolve(".hidden"), "ignored");

        SmallRyeConfig config = config(Map.of(
                SecretFilesConfigSource.DIR_SETTING, secrets.toString(),
                "tastemaker.kafka.bootstrap-servers", "kafka:9093",
                "quarkus.datasource.password", "${TASTEMAKER_DATABASE_PASSWORD:}"));

        assertThat(config.getValue("quarkus.datasource.password", String.class)).isEqualTo("pg-s3cret");
        assertThat(config.getConfigMapping(RuntimeConfig.class).kafka().saslJaasConfig())
                .hasValue("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"tm\" password=\"p\";");
        assertThat(config.getRawValue("tastemaker.vectors.qdrant.api-key")).isEqualTo("qdrant-key");
        assertThat(config.getRawValue("TASTEMAKER_VECTORS_QDRANT_API_KEY")).isEqualTo("qdrant-key");
        assertThat(config.getRawValue(".hidden")).isNull();
    }

    @Test
    void should_let_an_environment_variable_or_system_property_override_a_file() throws Exception {
        Files.writeString(secrets.resolve("TASTEMAKER_DATABASE_PASSWORD"), "from-file");

        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of(SecretFilesConfigSource.DIR_SETTING, secrets.toString()), "test", 500))
                .withSources(new PropertiesConfigSource(Map.of("TASTEMAKER_DATABASE_PASSWORD", "from-env"), "env", 300))
                .withSources(new SecretFilesConfigSource.Factory())
                .build();

        assertThat(config.getRawValue("TASTEMAKER_DATABASE_PASSWORD")).isEqualTo("from-env");
    }

    @Test
    void should_refuse_to_start_when_the_directory_is_missing_naming_the_setting() {
        assertThatThrownBy(() -> config(Map.of(SecretFilesConfigSource.DIR_SETTING, secrets.resolve("absent").toString())))
                .hasMessageContaining("tastemaker.secrets-dir names no directory");
    }

    @Test
    void should_add_nothing_when_no_directory_is_configured() {
        assertThat(config(Map.of()).getConfigSources())
                .noneMatch(source -> source.getName().startsWith("SecretFilesConfigSource"));
    }

    private static SmallRyeConfig config(Map<String, String> settings) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withMapping(RuntimeConfig.class)
                // durations as Quarkus reads them ("5s"), as the running service does
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withValidateUnknown(false)
                .withSources(new PropertiesConfigSource(new HashMap<>(settings), "test", 100))
                .withSources(new SecretFilesConfigSource.Factory())
                .build();
    }
}
