package org.childrensgateway.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On the running gateway: a table of its schema that fills is analysed by the gateway within
 * seconds (PostgreSQL records a manual ANALYZE as {@code last_analyze}; autovacuum's is
 * {@code last_autoanalyze}), and a one-row table updated many times is not.
 */
class YoungTableStatisticsTest extends GatewayTestBase {

    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private io.micrometer.core.instrument.MeterRegistry registry;
    @Autowired
    private PlatformTransactionManager transactions;

    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String filling = "young_filling_" + suffix;
    private final String updated = "young_updated_" + suffix;

    @AfterEach
    void dropTables() {
        jdbc.sql("drop table if exists " + filling).update();
        jdbc.sql("drop table if exists " + updated).update();
    }

    @Test
    void aTableThatFillsIsAnalysedAndAnUpdatedOneIsNot() throws InterruptedException {
        jdbc.sql("create table " + filling + " (id bigint primary key, key text)").update();
        jdbc.sql("create table " + updated + " (id bigint primary key, n bigint)").update();
        jdbc.sql("insert into " + updated + " values (1, 0)").update();
        for (int i = 0; i < 300; i++) {
            jdbc.sql("update " + updated + " set n = n + 1 where id = 1").update();
        }
        jdbc.sql("insert into " + filling + " select g, 'k' || g from generate_series(1, 500) g").update();

        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!analysed(filling) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(analysed(filling)).as("the filled table was analysed by the gateway").isTrue();
        assertThat(jdbc.sql("select reltuples from pg_class where relname = ?").param(filling).query(Double.class).single())
                .as("its statistics know its rows").isEqualTo(500.0);
        // Both tables were looked at on the same passes; the updated one was never due.
        assertThat(analysed(updated)).as("the one-row table updated 300 times").isFalse();
        // Counted for operators (gateway_database_young_table_analyses_total). Read from the registry, not
        // by a scrape: a scrape also refreshes the backlog gauges, which ActuatorAndMetricsTest times.
        assertThat(registry.get("gateway.database.young.table.analyses").counter().count()).as("analyses counted").isGreaterThanOrEqualTo(1.0);
    }

    /**
     * Run as a role that is not a superuser, the watch lists the tables that role owns and not the
     * others: PostgreSQL would skip their ANALYZE with a warning, every pass.
     */
    @Test
    void onlyTablesTheGatewaysRoleMayAnalyseAreWatched() {
        String role = "young_role_" + suffix;
        String owned = "young_owned_" + suffix;
        String other = "young_other_" + suffix;
        List<String> watched = new TransactionTemplate(transactions).execute(status -> {
            jdbc.sql("create role " + role + " nologin").update();
            for (String table : List.of(owned, other)) {
                jdbc.sql("create table " + table + " (id bigint)").update();
                jdbc.sql("insert into " + table + " select g from generate_series(1, 500) g").update();
            }
            jdbc.sql("alter table " + owned + " owner to " + role).update();
            jdbc.sql("set local role " + role).update();
            List<String> names = jdbc.sql(YoungTableStatistics.YOUNG_TABLES).param(YoungTableStatistics.YOUNG_ROWS)
                    .query((rs, n) -> rs.getString(1)).list();
            status.setRollbackOnly();
            return names;
        });
        assertThat(watched).as("the role owns one table of the schema").containsExactly(owned);
    }

    private boolean analysed(String table) {
        return jdbc.sql("select last_analyze is not null from pg_stat_user_tables where relname = ?").param(table)
                .query(Boolean.class).optional().orElse(false);
    }
}
