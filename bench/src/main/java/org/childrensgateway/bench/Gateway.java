package org.childrensgateway.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway under test, as a separate JVM (java -jar of the repackaged server jar) on an embedded
 * PostgreSQL under {@code bench/target/}, measured from outside: start-up to readiness, resident
 * memory from /proc, and JFR recordings through jcmd. Loopback only.
 */
final class Gateway implements AutoCloseable {

    private static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    final int port;
    final int pgPort;
    final Process process;
    final long startNanos;
    private final Path dataDir;
    long readyMillis = -1;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String[]> tokens = new ConcurrentHashMap<>();
    private volatile long peakRssKb;
    private volatile long peakRssAnonKb;
    private final Thread sampler;

    Gateway(Path jar, Path workDir, String heap, boolean clean, Path log) throws IOException {
        this(jar, workDir, heap, clean, log, List.of());
    }

    /** {@code jvmOptions}: extra options for this JVM only (the class-data-sharing archive). */
    Gateway(Path jar, Path workDir, String heap, boolean clean, Path log, List<String> jvmOptions) throws IOException {
        this.port = freePort();
        this.pgPort = freePort();
        Files.createDirectories(workDir);
        this.dataDir = workDir.resolve("postgres").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of("java", "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC",
                "-XX:+ExitOnOutOfMemoryError",
                // deep stacks: HAPI's validator and Spring's filter chain exceed JFR's default 64 frames
                "-XX:FlightRecorderOptions=stackdepth=256",
                // where resident memory goes besides the heap (summary: a few % of overhead)
                "-XX:NativeMemoryTracking=summary"));
        cmd.addAll(jvmOptions);
        String extra = System.getProperty("bench.jvmOpts", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.addAll(List.of("-jar", jar.toString(),
                // The development issuer and demo clients (on 127.0.0.1), as on a developer's machine.
                "--spring.profiles.active=dev",
                "--server.port=" + port, "--management.server.port=" + port,
                "--gateway.embedded-db.data-dir=" + workDir.resolve("postgres").toAbsolutePath(),
                "--gateway.embedded-db.port=" + pgPort,
                "--gateway.embedded-db.clean=" + clean,
                "--gateway.audit.node=bench",
                "--logging.level.root=WARN", "--logging.level.org.childrensgateway=WARN"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // As the container image runs it (docker/Dockerfile): glibc's per-thread malloc arenas otherwise
        // add ~50 MB to the ~170 MB of resident memory the JVM does not account for (NMT total vs VmRSS).
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        startNanos = System.nanoTime();
        process = pb.start();
        sampler = new Thread(() -> {
            while (process.isAlive()) {
                peakRssKb = Math.max(peakRssKb, status("VmRSS"));
                peakRssAnonKb = Math.max(peakRssAnonKb, status("RssAnon"));
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Waits until /actuator/health/readiness answers UP; returns milliseconds since the JVM was started. */
    long awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway exited with " + process.exitValue() + " (see its log)");
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("UP")) {
                    readyMillis = (System.nanoTime() - startNanos) / 1_000_000;
                    return readyMillis;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("gateway not ready within " + timeout);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpClient http() {
        return http;
    }

    /**
     * A bearer token for a demo client (client credentials), renewed after two minutes. One thread
     * fetches it while the others wait, so the client threads do not each pay for a token.
     */
    synchronized String token(String client, String secret) throws Exception {
        String[] cached = tokens.get(client);
        if (cached != null && System.currentTimeMillis() - Long.parseLong(cached[1]) < 120_000) {
            return cached[0];
        }
        String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + java.net.URLEncoder.encode("system/*.cruds", StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = TOKEN.matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("no token for " + client + ": HTTP " + r.statusCode());
        }
        tokens.put(client, new String[] {m.group(1), Long.toString(System.currentTimeMillis())});
        return m.group(1);
    }

    long pid() {
        return process.pid();
    }

    /** A field of /proc/<pid>/status in kB (VmRSS, VmHWM), or 0. */
    long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // process gone
        }
        return 0;
    }

    /** Peak anonymous resident memory: the process's own pages, without mapped files such as its jar. */
    long peakRssAnonKb() {
        return peakRssAnonKb;
    }

    long peakRssKb() {
        return Math.max(peakRssKb, status("VmHWM"));
    }

    /** The gateway JVM's thread groups {@link #cpuSeconds} reports after the JVM and PostgreSQL totals. */
    static final List<String> THREAD_GROUPS = List.of("requests", "jit", "gc", "other");

    /**
     * CPU seconds used so far by {gateway JVM, PostgreSQL, then the JVM's {@link #THREAD_GROUPS},
     * then PostgreSQL's client backends and its background processes}: the JVM's utime+stime, the
     * postmaster's (with its reaped children, such as autovacuum workers) plus every live child's,
     * and the JVM's live threads by what they do, all from /proc. The groups show how much of a
     * phase's JVM CPU was the work itself and how much the JIT compiler and the collector.
     */
    double[] cpuSeconds() {
        double[] groups = threadTicks(process.pid());
        double jvm = ticks(process.pid(), false);
        double pg = 0;
        double backends = 0;
        double background = 0;
        long postmaster = -1;
        String dir = dataDir.toString();
        try (var procs = Files.list(Path.of("/proc"))) {
            List<Long> pids = procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).toList();
            for (long pid : pids) {
                try {
                    String cmd = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
                    if (cmd.contains(dir) && cmd.contains("postgres")) {
                        postmaster = pid;
                    }
                } catch (IOException e) {
                    // gone
                }
            }
            if (postmaster > 0) {
                pg += ticks(postmaster, true);
                background += ticks(postmaster, true); // with the autovacuum workers that have exited
                for (long pid : pids) {
                    if (pid != postmaster && parent(pid) == postmaster) {
                        double t = ticks(pid, false);
                        pg += t;
                        if (isClientBackend(pid)) {
                            backends += t;
                        } else {
                            background += t;
                        }
                    }
                }
            }
        } catch (IOException e) {
            // no /proc
        }
        return new double[] {jvm / 100.0, pg / 100.0, groups[0] / 100.0, groups[1] / 100.0, groups[2] / 100.0, groups[3] / 100.0,
                backends / 100.0, background / 100.0};
    }

    /**
     * A backend serving a client connection: its title is "postgres: user database host(port) …";
     * the others are the WAL writer, checkpointer, background writer, autovacuum and the like.
     */
    private static boolean isClientBackend(long pid) {
        try {
            String title = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            return title.matches("postgres: \\S+ \\S+ [^ ]+\\(\\d+\\).*");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Clock ticks of the JVM's live threads by {@link #THREAD_GROUPS}, from each thread's name (its
     * first 15 characters): Tomcat's threads serve the requests, C1/C2 compile, GC and G1 threads
     * and the VM thread (safepoint operations) collect. A thread that ended is no longer counted, so
     * groups are compared between two readings of the same threads (Tomcat's pool keeps its threads).
     */
    private static double[] threadTicks(long pid) {
        double[] t = new double[THREAD_GROUPS.size()];
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String s = Files.readString(task.resolve("stat"));
                    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                    t[group(name)] += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended
                }
            }
        } catch (IOException e) {
            // no /proc
        }
        return t;
    }

    static int group(String threadName) {
        if (threadName.startsWith("http-nio")) {
            return 0;
        }
        if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
            return 1;
        }
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.equals("VM Thread")) {
            return 2;
        }
        return 3;
    }

    private static String[] stat(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
    }

    private static long parent(long pid) {
        try {
            return Long.parseLong(stat(pid)[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime (+ cutime + cstime) in clock ticks (USER_HZ, 100 on Linux). */
    private static double ticks(long pid, boolean withChildren) {
        try {
            String[] f = stat(pid); // f[0] is field 3 (state)
            double t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            if (withChildren) {
                t += Long.parseLong(f[13]) + Long.parseLong(f[14]);
            }
            return t;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** jcmd against the gateway JVM (JFR.start / JFR.stop). */
    String jcmd(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("jcmd", Long.toString(process.pid())));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
