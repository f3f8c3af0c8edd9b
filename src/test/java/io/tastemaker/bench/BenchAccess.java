package io.tastemaker.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the load tools reach a running service: the API keys the embedded runtime keeps under
 * {@code <data-dir>/keys/} (lists and events with the storefront key, everything else with the
 * operator key) and the management port that serves {@code /q/*} without a key.
 */
final class BenchAccess {

    static final String STOREFRONT = "storefront";
    static final String OPERATOR = "operator";
    private static final int DEFAULT_MANAGEMENT_PORT = 9000;

    private BenchAccess() {
    }

    /** The secret of the key the embedded runtime keeps for {@code role}; exists once the service has started. */
    static String key(Path dataDir, String role) {
        Path file = dataDir.resolve("keys").resolve(role);
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("no " + role + " key in " + file + " (the service writes it on its first start)", e);
        }
    }

    /** The value of an {@code Authorization} header for {@code role}'s key. */
    static String bearer(Path dataDir, String role) {
        return "Bearer " + key(dataDir, role);
    }

    /** The API's host on the management port ({@code MANAGEMENT_PORT}, as the service reads it; 9000 by default). */
    static URI management(URI api) {
        String port = System.getenv("MANAGEMENT_PORT");
        return URI.create(api.getScheme() + "://" + api.getHost() + ":"
                + (port == null || port.isBlank() ? DEFAULT_MANAGEMENT_PORT : Integer.parseInt(port.strip())));
    }
}
