package io.tastemaker.security;

import io.tastemaker.api.InvalidInputException;
import io.tastemaker.db.SchemaMigrator;
import io.tastemaker.embedded.EmbeddedPostgresServer;
import io.tastemaker.runtime.CommandLines;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code java -jar quarkus-run.jar keys …}: manage API keys straight in the database, so the
 * first operator key can be made before any key exists (and a lost one replaced). Reads the
 * database as the service does ({@code TASTEMAKER_DATABASE_URL}, {@code _USERNAME},
 * {@code _PASSWORD}); without a URL it uses the embedded database under the data directory
 * ({@code TASTEMAKER_DATA_DIR}, default {@code data}), started for the command if the service
 * is not running. The secret goes to standard output alone, so {@code KEY=$(… keys create …)} works.
 */
@Command(name = "keys", separator = " ", description = "Manage API keys straight in the database.",
        footer = "%nroles: storefront, catalog, merchandiser, data-scientist, operator")
public final class KeysCommand implements Callable<Integer> {

    @Spec
    private CommandLine.Model.CommandSpec spec;
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
    private boolean help;
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

    /**
     * Exit codes: 0 done; 2 a wrong command, option or value (what is wrong and the usage go to
     * standard error); 1 the database refused or failed.
     */
    int run(String... args) {
        return CommandLines.of(this)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler(this::failed)
                .execute(args);
    }

    /** {@code keys} alone: the usage. */
    @Override
    public Integer call() {
        spec.commandLine().usage(err);
        return CommandLine.ExitCode.USAGE;
    }

    private int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        String name = "keys " + command.getCommandName();
        if (e instanceof InvalidInputException) {
            err.println(name + ": " + e.getMessage());
            command.usage(err);
            return CommandLine.ExitCode.USAGE;
        }
        err.println(name + " failed: " + e.getMessage());
        return 1;
    }

    @Command(name = "generate", separator = " ",
            description = "Print a new secret, stored nowhere: for a bootstrap key file.")
    void generate() {
        out.println(ApiKeySecret.generate());
    }

    @Command(name = "create", separator = " ", sortOptions = false, sortSynopsis = false,
            description = "Make a key; its secret goes to standard output (or --out FILE) and is shown only now.")
    void create(@Option(names = "--name", paramLabel = "NAME", description = "who or what uses the key") String name,
                @Option(names = {"--role", "--roles"}, paramLabel = "ROLE", split = ",",
                        description = "repeatable; roles: storefront, catalog, merchandiser, data-scientist, operator")
                List<String> roles,
                @Option(names = "--rate-limit", paramLabel = "PER_SECOND", description = "requests per second")
                Integer rateLimit,
                @Option(names = "--expires-at", paramLabel = "INSTANT", converter = InstantConverter.class,
                        description = "e.g. 2027-01-31T00:00:00Z") Instant expiresAt,
                @Option(names = "--expires-in-days", paramLabel = "DAYS", description = "instead of --expires-at")
                Integer expiresInDays,
                @Option(names = "--out", paramLabel = "FILE", description = "write the secret to this file"
                        + " (readable by its owner only) instead of standard output") Path outFile) {
        if (expiresAt != null && expiresInDays != null) {
            throw new InvalidInputException("--expires-in-days", "cannot be given with --expires-at");
        }
        Instant expires = expiresInDays == null ? expiresAt : Instant.now().plus(Duration.ofDays(expiresInDays));
        ApiKeyStore.NewKey newKey = new KeySpec(name, roles == null ? List.of() : roles, rateLimit, expires)
                .validated("keys command (" + System.getProperty("user.name", "unknown") + ")", Instant.now());
        withStore(store -> {
            ApiKeyStore.Created created = store.create(newKey);
            err.printf("Created key #%d '%s' (%s) with roles %s; the secret is shown only now.%n", created.key().id(),
                    created.key().name(), created.key().prefix(), String.join(",", created.key().roles()));
            if (outFile != null) {
                ApiKeySecret.writeOwnerOnly(outFile, created.secret());
                err.println("Secret written to " + outFile + " (readable by its owner only)");
            } else {
                out.println(created.secret());
            }
        });
    }

    @Command(name = "list", separator = " ", description = "List every key: id, name, prefix, roles, last use, state.")
    void list() {
        withStore(this::list);
    }

    @Command(name = "revoke", separator = " ", description = "Revoke a key: every instance stops accepting it.")
    void revoke(@Parameters(paramLabel = "ID", description = "the key's id, as keys list shows it") long id) {
        withStore(store -> {
            ApiKey key = store.revoke(id).orElseThrow(() -> new InvalidInputException("ID", "no key has id " + id));
            err.printf("Revoked key #%d '%s' (%s)%n", key.id(), key.name(), key.prefix());
        });
    }

    private void list(ApiKeyStore store) {
        out.printf("%-6s %-24s %-13s %-36s %-25s %s%n", "id", "name", "prefix", "roles", "last used", "state");
        Instant now = Instant.now();
        for (ApiKey key : store.list()) {
            String state = key.revokedAt() != null ? "revoked " + key.revokedAt()
                    : key.expiresAt() != null && !key.activeAt(now) ? "expired " + key.expiresAt()
                    : key.expiresAt() != null ? "active until " + key.expiresAt() : "active";
            out.printf("%-6d %-24s %-13s %-36s %-25s %s%n", key.id(), key.name(), key.prefix(),
                    String.join(",", key.roles()), key.lastUsedAt() == null ? "never" : key.lastUsedAt(), state);
        }
    }

    /** Runs {@code work} against the configured database, or the embedded one (started if need be). */
    private void withStore(Consumer<ApiKeyStore> work) {
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
                work.accept(new ApiKeyStore(pool));
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

    static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("must be an instant like 2027-01-31T00:00:00Z, got '"
                        + value + "'");
            }
        }
    }
}
