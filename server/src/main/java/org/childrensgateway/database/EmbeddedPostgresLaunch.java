package org.childrensgateway.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import liquibase.integration.spring.SpringLiquibase;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

/**
 * Starting the embedded PostgreSQL: {@code initdb} with durable settings, the server's own start-up
 * and the Liquibase migration of a fresh database take 2.5–3 s that need nothing from the Spring
 * context. So they are begun as soon as the settings are known ({@link EmbeddedPostgresEarlyStart})
 * and run beside the context's construction; the bean that needs the server
 * ({@link EmbeddedDatabaseConfiguration}) takes the launch and waits for it, so nothing uses the
 * database before it is migrated. Launches are keyed by data folder, so two contexts in one JVM
 * (tests) each get their own server.
 */
final class EmbeddedPostgresLaunch {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresLaunch.class);

    /** PostgreSQL's defaults for everything that decides whether an answered commit survives a crash. */
    static final Map<String, String> DURABLE = Map.of(
            "fsync", "on",
            "synchronous_commit", "on",
            "full_page_writes", "on");

    /** System property (measurement runs: -Dbench.jvmOpts=-D...=true, docs/benchmarks.md): load pg_stat_statements into the embedded server. */
    static final String STATEMENT_STATISTICS = "gateway.embedded-db.statement-statistics";

    /**
     * System property (measurement runs only): the share of statements, 0 to 1, whose plans with
     * actual times and buffers auto_explain writes to the log directory inside the data directory.
     * Timing every plan node slows PostgreSQL, so figures of such a run are not comparable.
     */
    static final String AUTO_EXPLAIN = "gateway.embedded-db.auto-explain";

    private static final Map<Path, CompletableFuture<EmbeddedPostgres>> PENDING = new ConcurrentHashMap<>();

    private EmbeddedPostgresLaunch() {
    }

    /**
     * Begins starting and migrating a server for these settings on a background thread, unless one
     * is already under way; {@code changeLog} null starts it without migrating.
     */
    static void begin(EmbeddedDatabaseProperties properties, String changeLog) {
        Path dir = dataDir(properties);
        PENDING.computeIfAbsent(dir, d -> CompletableFuture.supplyAsync(() -> migrate(start(properties), changeLog), runnable -> {
            Thread thread = new Thread(runnable, "embedded-postgres-start");
            thread.setDaemon(true);
            thread.start();
        }));
    }

    /** The started server for these settings: the launch begun earlier, or one started now. */
    static EmbeddedPostgres take(EmbeddedDatabaseProperties properties) throws IOException {
        CompletableFuture<EmbeddedPostgres> launch = PENDING.remove(dataDir(properties));
        if (launch == null) {
            return start(properties);
        }
        try {
            return launch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            launch.thenAccept(EmbeddedPostgresLaunch::closeQuietly);
            throw new IOException("interrupted while the embedded PostgreSQL started", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    /** Stops the server begun for a context that failed before taking it (nothing else would). */
    static void abandon(EmbeddedDatabaseProperties properties) {
        CompletableFuture<EmbeddedPostgres> launch = PENDING.remove(dataDir(properties));
        if (launch != null) {
            launch.thenAccept(EmbeddedPostgresLaunch::closeQuietly);
        }
    }

    /** The same migration Spring Boot's Liquibase auto-configuration runs (turned off when this ran it). */
    private static EmbeddedPostgres migrate(EmbeddedPostgres postgres, String changeLog) {
        if (changeLog == null) {
            return postgres;
        }
        SpringLiquibase liquibase = new SpringLiquibase();
        liquibase.setDataSource(postgres.getPostgresDatabase());
        liquibase.setChangeLog(changeLog);
        liquibase.setResourceLoader(new DefaultResourceLoader(EmbeddedPostgresLaunch.class.getClassLoader()));
        try {
            liquibase.afterPropertiesSet();
            return postgres;
        } catch (Exception e) {
            closeQuietly(postgres);
            throw new IllegalStateException("Migrating the embedded PostgreSQL failed: " + e.getMessage(), e);
        }
    }

    private static Path dataDir(EmbeddedDatabaseProperties properties) {
        return Path.of(properties.dataDir()).toAbsolutePath().normalize();
    }

    private static EmbeddedPostgres start(EmbeddedDatabaseProperties properties) {
        try {
            Path dir = dataDir(properties);
            if (properties.clean()) {
                FileSystemUtils.deleteRecursively(dir);
            }
            Files.createDirectories(dir);
            StalePostmaster.clear(dir);
            log.info("Starting embedded PostgreSQL with data in {}", dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "100");
            // The library starts PostgreSQL with -F (fsync off) and synchronous_commit=off, made for
            // throwaway test databases; this is the documented default run, so PostgreSQL's own durable
            // defaults are restored (a -c after -F wins). docs/operations.md, "Durability".
            DURABLE.forEach(builder::setServerConfig);
            java.util.List<String> preload = new java.util.ArrayList<>();
            if (Boolean.getBoolean(STATEMENT_STATISTICS)) {
                // Measurement runs only: per-statement counts and times, which the benchmark reports per feed record.
                preload.add("pg_stat_statements");
                builder.setServerConfig("pg_stat_statements.track", "all");
                // Planning too: a statement planned on every execution costs more to plan than to run.
                builder.setServerConfig("pg_stat_statements.track_planning", "on");
            }
            String explainShare = System.getProperty(AUTO_EXPLAIN);
            if (explainShare != null && !explainShare.isBlank()) {
                // Measurement runs only: where inside one statement (a CTE's inserts, its index rows) the time goes.
                preload.add("auto_explain");
                builder.setServerConfig("auto_explain.sample_rate", Double.toString(Double.parseDouble(explainShare)));
                builder.setServerConfig("auto_explain.log_min_duration", "0");
                builder.setServerConfig("auto_explain.log_analyze", "on");
                builder.setServerConfig("auto_explain.log_buffers", "on");
                builder.setServerConfig("auto_explain.log_nested_statements", "on");
                builder.setServerConfig("logging_collector", "on");
                builder.setServerConfig("log_directory", "log");
            }
            if (!preload.isEmpty()) {
                builder.setServerConfig("shared_preload_libraries", String.join(",", preload));
            }
            if (properties.port() > 0) {
                builder.setPort(properties.port());
            }
            EmbeddedPostgres postgres = builder.start();
            checkDurable(postgres);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Refuses to run if the server did not take the settings (a library change must not silently undo them). */
    private static void checkDurable(EmbeddedPostgres postgres) throws IOException {
        JdbcClient jdbc = JdbcClient.create(postgres.getPostgresDatabase());
        for (Map.Entry<String, String> setting : DURABLE.entrySet()) {
            String actual = jdbc.sql("select current_setting(?)").param(setting.getKey()).query(String.class).single();
            if (!setting.getValue().equals(actual)) {
                postgres.close();
                throw new IllegalStateException("Embedded PostgreSQL runs with " + setting.getKey() + "=" + actual
                        + ", not " + setting.getValue());
            }
        }
        log.info("Embedded PostgreSQL durability: {}", DURABLE);
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("Could not stop an abandoned embedded PostgreSQL: {}", e.getMessage());
        }
    }
}
