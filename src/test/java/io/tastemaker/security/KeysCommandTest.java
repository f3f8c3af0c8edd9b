package io.tastemaker.security;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.tastemaker.embedded.EmbeddedPostgresServer;
import io.tastemaker.runtime.RuntimeConfig;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The first operator key of a production shop: made by the {@code keys} command against the
 * database before any key exists, or mounted as a file; and production refusing to start while
 * nobody could authenticate. A real PostgreSQL, started from this test's own directory.
 */
class KeysCommandTest {

    private static final int PORT = 36432;
    @TempDir
    static Path dir;
    private static EmbeddedPostgresServer postgres;
    private static Vertx vertx;
    private static Pool pool;

    @BeforeAll
    static void database() {
        postgres = EmbeddedPostgresServer.start(dir.resolve("postgres"), PORT);
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("localhost").setPort(PORT)
                .setDatabase("postgres").setUser("postgres")).using(vertx).build();
    }

    @AfterAll
    static void stop() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        postgres.close();
    }

    record Run(int exit, String out, String err) {
    }

    private static Run keys(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new KeysCommand(Map.of("TASTEMAKER_DATABASE_URL", "postgresql://localhost:" + PORT + "/postgres"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void production_refuses_to_start_until_someone_could_authenticate_then_the_command_makes_the_first_key() throws Exception {
        ApiKeyStore store = new ApiKeyStore(pool);
        // the command migrates the schema itself, so it works on a database the service never saw
        assertThat(keys("list").exit()).isEqualTo(0);
        store.list().forEach(key -> store.revoke(key.id())); // whatever another test registered: nobody can sign in
        KeyBootstrap production = new KeyBootstrap(production(), security(Optional.empty()), store, new ApiKeys(store, security(Optional.empty())), Optional.empty());
        assertThatThrownBy(() -> production.onStart(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keys create --role operator")
                .hasMessageContaining("tastemaker.security.bootstrap-operator-key-file");

        ApiKeys withIdp = new ApiKeys(store, security(Optional.empty()));
        new KeyBootstrap(production(), security(Optional.empty()), store, withIdp,
                Optional.of("https://idp.shop.example/jwks.json")).onStart(null);
        withIdp.close();

        Run created = keys("create", "--name", "ops", "--role", "operator", "--expires-in-days", "90");
        assertThat(created.exit()).as(created.err()).isEqualTo(0);
        String secret = created.out().strip();
        assertThat(secret).matches("tm_live_[A-Za-z0-9_-]{43}");
        assertThat(created.err()).contains("'ops'").contains("operator");
        ApiKeys keys = new ApiKeys(store, security(Optional.empty()));
        new KeyBootstrap(production(), security(Optional.empty()), store, keys, Optional.empty()).onStart(null);
        try {
            assertThat(keys.authenticate(secret)).hasValueSatisfying(k -> assertThat(k.roles()).containsExactly("operator"));
            assertThat(keys("list").out()).contains("ops").contains(secret.substring(0, 12)).doesNotContain(secret);

            long id = keys.authenticate(secret).orElseThrow().id();
            assertThat(keys("revoke", String.valueOf(id)).exit()).isEqualTo(0);
            keys.reload();
            assertThat(keys.authenticate(secret)).isEmpty();
            assertThat(keys("list").out()).contains("revoked");
        } finally {
            keys.close();
        }
    }

    @Test
    void a_mounted_bootstrap_file_registers_an_operator_key_once() throws Exception {
        Path file = dir.resolve("operator-key");
        assertThat(keys("list").exit()).isEqualTo(0); // migrates the schema when this test runs first
        Run generated = keys("generate");
        Files.writeString(file, generated.out());
        ApiKeyStore store = new ApiKeyStore(pool);
        for (int start = 0; start < 2; start++) {
            ApiKeys keys = new ApiKeys(store, security(Optional.of(file)));
            new KeyBootstrap(production(), security(Optional.of(file)), store, keys, Optional.empty()).onStart(null);
            try {
                assertThat(keys.authenticate(generated.out().strip())).isPresent();
            } finally {
                keys.close();
            }
        }
        assertThat(store.list().stream().filter(k -> k.name().equals("bootstrap-operator"))).hasSize(1);

        Files.writeString(dir.resolve("not-a-key"), "hunter2");
        assertThatThrownBy(() -> new KeyBootstrap(production(), security(Optional.of(dir.resolve("not-a-key"))), store,
                new ApiKeys(store, security(Optional.empty())), Optional.empty()).onStart(null))
                .hasMessageContaining("tastemaker.security.bootstrap-operator-key-file").hasMessageNotContaining("hunter2");
    }

    @Test
    void wrong_arguments_exit_2_naming_what_is_wrong() {
        Run noRole = keys("create", "--name", "ops");
        assertThat(noRole.exit()).isEqualTo(2);
        assertThat(noRole.err()).contains("roles");
        Run badRole = keys("create", "--name", "ops", "--role", "root");
        assertThat(badRole.exit()).isEqualTo(2);
        assertThat(badRole.err()).contains("roles[0]");
        assertThat(keys("create", "--name", "ops", "--role", "operator", "--rate-limit", "many").err()).contains("--rate-limit");
        assertThat(keys("rotate").exit()).isEqualTo(2);
        assertThat(keys("create", "--name").exit()).isEqualTo(2);
        Run alone = keys();
        assertThat(alone.exit()).isEqualTo(2);
        assertThat(alone.err()).contains("Usage: keys", "create", "list", "revoke", "generate");
        Run noId = keys("revoke");
        assertThat(noId.exit()).isEqualTo(2);
        assertThat(noId.err()).contains("ID", "Usage: keys revoke");
        assertThat(keys("create", "--name", "ops", "--role", "operator", "--expires-at", "tomorrow").err())
                .contains("--expires-at", "2027-01-31T00:00:00Z");
    }

    private static RuntimeConfig production() {
        return config(Map.of("tastemaker.kafka.bootstrap-servers", "kafka:9092",
                "tastemaker.database.url", "postgresql://localhost:" + PORT + "/postgres",
                "tastemaker.data-dir", dir.toString())).getConfigMapping(RuntimeConfig.class);
    }

    private static SecurityConfig security(Optional<Path> bootstrapFile) {
        Map<String, String> settings = new HashMap<>(Map.of("tastemaker.security.key-poll-interval", "100ms"));
        bootstrapFile.ifPresent(f -> settings.put("tastemaker.security.bootstrap-operator-key-file", f.toString()));
        return config(settings).getConfigMapping(SecurityConfig.class);
    }

    private static SmallRyeConfig config(Map<String, String> settings) {
        return new SmallRyeConfigBuilder()
                .withMapping(RuntimeConfig.class)
                .withMapping(SecurityConfig.class)
                .withValidateUnknown(false)
                .withConverter(java.time.Duration.class, 100, new DurationConverter()) // "250ms", as Quarkus reads it
                .withSources(new PropertiesConfigSource(settings, "test", 500))
                .build();
    }
}
