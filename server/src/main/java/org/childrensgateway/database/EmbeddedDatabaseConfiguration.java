package org.childrensgateway.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
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
        log.info("Starting embedded PostgreSQL with data in {}", dir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                // Durability settings stay at PostgreSQL defaults: this is the default run, not a toy.
                .setServerConfig("max_connections", "100");
        if (properties.port() > 0) {
            builder.setPort(properties.port());
        }
        return builder.start();
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
