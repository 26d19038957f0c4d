package org.childrensgateway.database;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings for the PostgreSQL the gateway starts itself when no {@code spring.datasource.url} is given.
 *
 * @param dataDir folder holding the cluster; it survives restarts unless {@code clean} is set
 * @param port    TCP port on loopback; 0 picks a free one
 * @param clean   wipe the folder at start (tests)
 */
@ConfigurationProperties(prefix = "gateway.embedded-db")
public record EmbeddedDatabaseProperties(String dataDir, int port, boolean clean) {

    public EmbeddedDatabaseProperties {
        if (dataDir == null || dataDir.isBlank()) {
            dataDir = "./.data/postgres";
        }
    }
}
