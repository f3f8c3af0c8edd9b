package io.tastemaker.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedPostgresServerTest {

    @TempDir
    Path dirs;

    /** Another run's PostgreSQL on the port must not be taken for ours (its database is not ours). */
    @Test
    void refuses_to_start_on_a_port_another_data_directory_serves() throws IOException {
        int port = freePort();
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dirs.resolve("first"), port)) {
            assertThat(first.port()).isEqualTo(port);

            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dirs.resolve("second"), port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Port " + port + " is served by another PostgreSQL")
                    .hasMessageContaining("tastemaker.embedded.postgres-port");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
