package io.tastemaker.security;

import io.tastemaker.api.InvalidInputException;
import io.tastemaker.db.SchemaMigrator;
import io.tastemaker.embedded.EmbeddedPostgresServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code java -jar quarkus-run.jar keys …}: manage API keys straight in the database, so the
 * first operator key can be made before any key exists (and a lost one replaced). Reads the
 * database as the service does ({@code TASTEMAKER_DATABASE_URL}, {@code _USERNAME},
 * {@code _PASSWORD}); without a URL it uses the embedded database under the data directory
 * ({@code TASTEMAKER_DATA_DIR}, default {@code data}), started for the command if the service
 * is not running. The secret goes to standard output alone, so {@code KEY=$(… keys create …)} works.
 */
public final class KeysCommand {

    static final String USAGE = """
            usage: keys create --name NAME --role ROLE [--role ROLE…] [--rate-limit PER_SECOND]
                               [--expires-at 2027-01-31T00:00:00Z | --expires-in-days DAYS] [--out FILE]
                   keys list
                   keys revoke ID
                   keys generate          (a new secret, stored nowhere: for a bootstrap key file)
            roles: storefront, catalog, merchandiser, data-scientist, operator""";

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    KeysCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static int main(String... args) {
        return new KeysCommand(System.getenv(), System.out, System.err).run(args);
    }

    int run(String... args) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        try {
            switch (args[0]) {
                case "generate" -> out.println(ApiKeySecret.generate());
                case "create" -> withStore(store -> create(store, Arrays.copyOfRange(args, 1, args.length)));
                case "list" -> withStore(this::list);
                case "revoke" -> withStore(store -> revoke(store, args));
                default -> {
                    err.println("unknown keys command '" + args[0] + "'\n" + USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (InvalidInputException e) {
            err.println("keys " + args[0] + ": " + e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (RuntimeException e) {
            err.println("keys " + args[0] + " failed: " + e.getMessage());
            return 1;
        }
    }

    private Void create(ApiKeyStore store, String[] args) {
        String name = null;
        List<String> roles = new ArrayList<>();
        Integer rateLimit = null;
        Instant expiresAt = null;
        Path outFile = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String value = i + 1 < args.length ? args[++i] : null;
            if (value == null) {
                throw new InvalidInputException(flag, "needs a value");
            }
            switch (flag) {
                case "--name" -> name = value;
                case "--role", "--roles" -> roles.addAll(Arrays.asList(value.split(",")));
                case "--rate-limit" -> rateLimit = number(flag, value);
                case "--expires-at" -> expiresAt = instant(flag, value);
                case "--expires-in-days" -> expiresAt = Instant.now().plus(Duration.ofDays(number(flag, value)));
                case "--out" -> outFile = Path.of(value);
                default -> throw new InvalidInputException(flag, "is not an option of keys create");
            }
        }
        ApiKeyStore.NewKey spec = new KeySpec(name, roles, rateLimit, expiresAt)
                .validated("keys command (" + System.getProperty("user.name", "unknown") + ")", Instant.now());
        ApiKeyStore.Created created = store.create(spec);
        err.printf("Created key #%d '%s' (%s) with roles %s; the secret is shown only now.%n", created.key().id(),
                created.key().name(), created.key().prefix(), String.join(",", created.key().roles()));
        if (outFile != null) {
            ApiKeySecret.writeOwnerOnly(outFile, created.secret());
            err.println("Secret written to " + outFile + " (readable by its owner only)");
        } else {
            out.println(created.secret());
        }
        return null;
    }

    private Void list(ApiKeyStore store) {
        out.printf("%-6s %-24s %-13s %-36s %-25s %s%n", "id", "name", "prefix", "roles", "last used", "state");
        Instant now = Instant.now();
        for (ApiKey key : store.list()) {
            String state = key.revokedAt() != null ? "revoked " + key.revokedAt()
                    : key.expiresAt() != null && !key.activeAt(now) ? "expired " + key.expiresAt()
                    : key.expiresAt() != null ? "active until " + key.expiresAt() : "active";
            out.printf("%-6d %-24s %-13s %-36s %-25s %s%n", key.id(), key.name(), key.prefix(),
                    String.join(",", key.roles()), key.lastUsedAt() == null ? "never" : key.lastUsedAt(), state);
        }
        return null;
    }

    private Void revoke(ApiKeyStore store, String[] args) {
        if (args.length != 2) {
            throw new InvalidInputException("ID", "keys revoke takes one key id");
        }
        long id = number("ID", args[1]);
        ApiKey key = store.revoke(id).orElseThrow(() -> new InvalidInputException("ID", "no key has id " + id));
        err.printf("Revoked key #%d '%s' (%s)%n", key.id(), key.name(), key.prefix());
        return null;
    }

    /** Runs {@code work} against the configured database, or the embedded one (started if need be). */
    private void withStore(Function<ApiKeyStore, Void> work) {
        String url = env.get("TASTEMAKER_DATABASE_URL");
        EmbeddedPostgresServer started = null;
        int port = Integer.parseInt(env.getOrDefault("TASTEMAKER_EMBEDDED_POSTGRES_PORT", "15432"));
        if (url == null || url.isBlank()) {
            url = "postgresql://localhost:" + port + "/postgres";
            if (!listening(port)) {
                Path dataDir = Path.of(env.getOrDefault("TASTEMAKER_DATA_DIR", "data"));
                err.println("The service is not running: starting the embedded database under " + dataDir);
                started = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), port);
            }
        }
        Vertx vertx = Vertx.vertx();
        try {
            PgConnectOptions options = PgConnectOptions.fromUri(url)
                    .setUser(env.getOrDefault("TASTEMAKER_DATABASE_USERNAME", "postgres"));
            String password = env.get("TASTEMAKER_DATABASE_PASSWORD");
            if (password != null) {
                options.setPassword(password);
            }
            Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(options).using(vertx).build();
            try {
                new SchemaMigrator(pool).migrate();
                work.apply(new ApiKeyStore(pool));
            } finally {
                pool.closeAndAwait();
            }
        } finally {
            vertx.closeAndAwait();
            if (started != null) {
                started.close();
            }
        }
    }

    private static boolean listening(int port) {
        try (var socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(flag, "must be a whole number, got '" + value + "'");
        }
    }

    private static Instant instant(String flag, String value) {
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException(flag, "must be an instant like 2027-01-31T00:00:00Z, got '" + value + "'");
        }
    }
}
