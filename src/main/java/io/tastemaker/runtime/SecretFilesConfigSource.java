package io.tastemaker.runtime;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.EnvConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Settings read from a directory of files, one setting per file: the file's name is the setting
 * (named like its environment variable, {@code TASTEMAKER_DATABASE_PASSWORD}, or like the
 * property), its content the value. This is how a Kubernetes Secret or a compose secret mounted as
 * a volume reaches the configuration, so passwords and keys never sit in the process environment.
 * Enabled by {@code tastemaker.secrets-dir} (env {@code TASTEMAKER_SECRETS_DIR}); the smallrye
 * file-system config source would do the same but does not resolve at our Quarkus version.
 */
public final class SecretFilesConfigSource extends EnvConfigSource {

    public static final String DIR_SETTING = "tastemaker.secrets-dir";

    /** Above application.properties (250), below environment variables (300) and -D options (400). */
    static final int ORDINAL = 290;

    private final String name;

    SecretFilesConfigSource(Path dir) {
        super(read(dir), ORDINAL);
        this.name = "SecretFilesConfigSource[" + dir + "]";
    }

    @Override
    public String getName() {
        return name;
    }

    /**
     * The regular files directly under {@code dir}; dot-files are skipped, among them the
     * {@code ..data} links Kubernetes keeps in a Secret volume. A trailing line break is dropped,
     * since {@code echo secret > file} and most editors add one.
     */
    static Map<String, String> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(DIR_SETTING + " names no directory: " + dir);
        }
        Map<String, String> values = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String key = file.getFileName().toString();
                if (!key.startsWith(".") && Files.isRegularFile(file)) {
                    values.put(key, Files.readString(file, StandardCharsets.UTF_8).replaceFirst("\\R$", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the secrets in " + dir + " (" + DIR_SETTING + ")", e);
        }
        return values;
    }

    /** Registered in META-INF/services, so Quarkus adds the source to its runtime configuration. */
    public static final class Factory implements ConfigSourceFactory {
        @Override
        public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
            ConfigValue dir = context.getValue(DIR_SETTING);
            if (dir == null || dir.getValue() == null || dir.getValue().isBlank()) {
                return List.of();
            }
            return List.of(new SecretFilesConfigSource(Path.of(dir.getValue().strip())));
        }
    }
}
