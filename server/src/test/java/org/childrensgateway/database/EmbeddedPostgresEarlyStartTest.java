package org.childrensgateway.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.childrensgateway.GatewayApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.util.FileSystemUtils;

/**
 * The embedded PostgreSQL is started beside the context's construction; a context that fails after
 * that must not leave the server running (nothing else would ever stop it before the JVM exits).
 */
class EmbeddedPostgresEarlyStartTest {

    private static final Path DATA = Path.of("target/early-start-postgres").toAbsolutePath();

    @Test
    void aContextThatFailsAfterTheEarlyStartStopsTheServerItBegan() throws Exception {
        FileSystemUtils.deleteRecursively(DATA); // so postmaster.opts below can only be this run's
        // The configuration is read and passes the issuer guard, so the server is begun; binding the
        // application's own settings then fails, before any context exists to take the server.
        assertThatThrownBy(() -> new SpringApplicationBuilder(GatewayApplication.class).run(
                "--spring.profiles.active=dev", "--server.port=0",
                "--gateway.embedded-db.data-dir=" + DATA, "--gateway.embedded-db.clean=true",
                "--spring.main.banner-mode=not-a-mode").close())
                .hasStackTraceContaining("not-a-mode");
        assertThat(serverStoppedWithin(60_000)).as("the abandoned server is stopped").isTrue();
    }

    /**
     * The server was started (postgres writes postmaster.opts when it starts and leaves it) and has
     * stopped (it removes postmaster.pid when it shuts down). The launch may still be in initdb when
     * the context fails, so this waits.
     */
    private static boolean serverStoppedWithin(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(DATA.resolve("postmaster.opts")) && !Files.exists(DATA.resolve("postmaster.pid"))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
