package org.childrensgateway.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

/**
 * Starts a real PostgreSQL (zonky embedded binaries) when no external database is configured,
 * so a newcomer runs the gateway with one command and the tests run against real PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatasourceUrlCondition.class)
public class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseProperties properties) throws IOException {
        Path dir = Path.of(properties.dataDir()).toAbsolutePath();
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
        if (properties.port() > 0) {
            builder.setPort(properties.port());
        }
        EmbeddedPostgres postgres = builder.start();
        checkDurable(postgres);
        return postgres;
    }

    /** PostgreSQL's defaults for everything that decides whether an answered commit survives a crash. */
    static final Map<String, String> DURABLE = Map.of(
            "fsync", "on",
            "synchronous_commit", "on",
            "full_page_writes", "on");

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

    @Bean
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        ds.setUsername("postgres");
        ds.setPassword("postgres");
        ds.setMaximumPoolSize(16);
        ds.setPoolName("gateway-embedded");
        return ds;
    }
}
