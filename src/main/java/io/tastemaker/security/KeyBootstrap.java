package io.tastemaker.security;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tastemaker.runtime.RuntimeConfig;
import io.tastemaker.runtime.RuntimeMode;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * Makes sure someone can authenticate before the service answers anything. Embedded mode keeps
 * two keys under {@code <data-dir>/keys/} (an operator's and a storefront's, files readable by
 * their owner only), creating them on the first start, so the README's examples work right
 * away. Production registers the mounted bootstrap operator key, if configured, and refuses to
 * start when nobody could ever authenticate. Runs after {@code Bootstrap} migrated the schema.
 */
@ApplicationScoped
public class KeyBootstrap {

    private static final Logger LOG = Logger.getLogger(KeyBootstrap.class);
    /** The keys the embedded runtime keeps, by the role each one has. */
    static final List<String> EMBEDDED_ROLES = List.of(Roles.OPERATOR, Roles.STOREFRONT);

    private final RuntimeConfig runtime;
    private final SecurityConfig config;
    private final ApiKeyStore store;
    private final ApiKeys keys;
    private final Optional<String> jwtKeys;

    KeyBootstrap(RuntimeConfig runtime, SecurityConfig config, ApiKeyStore store, ApiKeys keys,
                 @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> jwtKeys) {
        this.runtime = runtime;
        this.config = config;
        this.store = store;
        this.keys = keys;
        this.jwtKeys = jwtKeys;
    }

    void onStart(@Observes @Priority(3) StartupEvent event) {
        config.bootstrapOperatorKeyFile().ifPresent(this::registerBootstrapKey);
        if (RuntimeMode.of(runtime) == RuntimeMode.EMBEDDED) {
            Path dir = runtime.dataDir().resolve("keys");
            for (String role : EMBEDDED_ROLES) {
                keepEmbeddedKey(dir, role);
            }
            LOG.infof("API keys for this embedded run: %s (operator) and %s (storefront);"
                    + " send one as 'Authorization: Bearer <key>'", dir.resolve(Roles.OPERATOR), dir.resolve(Roles.STOREFRONT));
        } else if (!"ingest".equals(runtime.role()) // serves no API: need not wait for the api pods' bootstrap key
                && jwtKeys.filter(s -> !s.isBlank()).isEmpty() && !store.hasActiveOperatorKey()) {
            throw new IllegalStateException("Nobody could authenticate: production mode needs an operator key or an"
                    + " identity provider. Create a key against this database with 'java -jar quarkus-run.jar keys create"
                    + " --role operator --name <who>', or mount one and name its file in"
                    + " tastemaker.security.bootstrap-operator-key-file (env TASTEMAKER_BOOTSTRAP_OPERATOR_KEY_FILE), or"
                    + " name the identity provider's keys in mp.jwt.verify.publickey.location (env MP_JWT_VERIFY_PUBLICKEY_LOCATION).");
        }
        keys.start();
    }

    void onStop(@Observes @Priority(0) ShutdownEvent event) {
        keys.stop();
    }

    private void registerBootstrapKey(Path file) {
        String secret = ApiKeySecret.read(file).orElseThrow(() -> new IllegalStateException(
                "tastemaker.security.bootstrap-operator-key-file names " + file + ", which does not hold a key of the form "
                        + ApiKeySecret.PREFIX + "<43 characters> (make one with 'keys create' or 'keys generate')"));
        store.registerIfAbsent(secret, new ApiKeyStore.NewKey("bootstrap-operator", List.of(Roles.OPERATOR), null, null,
                "bootstrap file " + file)).ifPresent(key -> LOG.infof("Registered the bootstrap operator key %s", key.prefix()));
    }

    /** The key in {@code dir/role} if it is still good, else a new one written there. */
    private void keepEmbeddedKey(Path dir, String role) {
        Path file = dir.resolve(role);
        Optional<String> kept = ApiKeySecret.read(file);
        if (kept.isPresent()) {
            Optional<ApiKey> stored = store.findBySecret(kept.get());
            if (stored.isPresent() && stored.get().activeAt(java.time.Instant.now())) {
                return;
            }
            if (stored.isEmpty()) {
                // the database was reset under a kept key file: keep the key people already use
                store.registerIfAbsent(kept.get(), embeddedKey(role));
                return;
            }
        }
        ApiKeyStore.Created created = store.create(embeddedKey(role));
        ApiKeySecret.writeOwnerOnly(file, created.secret());
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict " + dir, e);
        }
        LOG.infof("Created the embedded %s key %s in %s", role, created.key().prefix(), file);
    }

    private static ApiKeyStore.NewKey embeddedKey(String role) {
        return new ApiKeyStore.NewKey("embedded-" + role, List.of(role), null, null, "embedded runtime");
    }
}
