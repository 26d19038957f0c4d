package org.childrensgateway.operations;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.childrensgateway.GatewayApplication;

/**
 * The gateway as a node of its own: a separate JVM (the test classpath, profile {@code test}) on
 * its embedded PostgreSQL in {@code dataDir}, so a test can kill it, and its database, with
 * SIGKILL as a power cut would, and start it again on the same data.
 */
final class GatewayProcess {

    final int port;
    final Process process;
    final Path dataDir;
    private final Path log;

    private GatewayProcess(int port, Process process, Path dataDir, Path log) {
        this.port = port;
        this.process = process;
        this.dataDir = dataDir;
        this.log = log;
    }

    /** Starts a node; its PostgreSQL takes any free port, as in the default configuration. */
    static GatewayProcess start(Path dataDir, boolean clean, Path log, String... extraArgs) throws IOException {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), GatewayApplication.class.getName(),
                "--spring.profiles.active=test", "--server.port=" + port,
                "--gateway.embedded-db.data-dir=" + dataDir.toAbsolutePath(),
                "--gateway.embedded-db.port=0",
                "--gateway.embedded-db.clean=" + clean,
                "--gateway.mappings.dir=",
                "--gateway.ingest.poll-interval=PT0.2S",
                // A job running when the node died is resumed soon after restart, not after two minutes.
                "--gateway.ingest.job-stale-after=PT3S",
                "--logging.level.root=WARN", "--logging.level.org.childrensgateway=INFO"));
        cmd.addAll(List.of(extraArgs));
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new GatewayProcess(port, process, dataDir.toAbsolutePath(), log);
    }

    /** Waits for readiness; fails (with the end of its log) if the process exits or does not become ready. */
    GatewayProcess awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("gateway not ready within " + timeout + ":\n" + tail());
    }

    String base() {
        return "http://localhost:" + port;
    }

    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** The port of the running embedded PostgreSQL (line 4 of postmaster.pid). */
    int pgPort() throws IOException {
        return Integer.parseInt(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(3).trim());
    }

    /** The postmaster serving {@link #dataDir}, from its postmaster.pid. */
    Optional<ProcessHandle> postmaster() throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
    }

    /** SIGKILL to the JVM only: its PostgreSQL (a daemon, no longer its child) is left running. */
    void killJvm() throws Exception {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * A power cut: SIGKILL to PostgreSQL (postmaster and every backend, so whatever was only in its
     * shared memory is gone) and to the JVM, with no chance to flush or answer anything more.
     */
    void killNode() throws Exception {
        List<ProcessHandle> victims = new ArrayList<>();
        postmaster().ifPresent(pm -> {
            victims.add(pm);
            victims.addAll(pm.descendants().toList());
        });
        victims.add(process.toHandle());
        victims.addAll(process.descendants().toList());
        victims.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : victims) {
            p.onExit().get();
        }
    }

    void stop() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                killNode();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
