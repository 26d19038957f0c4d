package org.childrensgateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.search.SearchParamRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Search SQL must never become a server-side prepared statement: PostgreSQL could then keep one
 * generic plan for every value of a parameter, and a selective search would run with a plan made for
 * broad ones (41 ms instead of 0.06 ms, docs/storage.md). Other statements may be prepared.
 */
class SearchPlanningTest extends GatewayTestBase {

    @Autowired
    private ResourceStore store;
    @Autowired
    private SearchParamRegistry params;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    private javax.sql.DataSource dataSource;

    @Test
    void searchStatementsAreNotServerPreparedHoweverOftenTheyRun() {
        SearchQuery query = new SearchQuery("Patient", List.of(new SearchQuery.Clause(params.find("Patient", "family").orElseThrow(),
                null, null, List.of("planning-test-family"))), List.of());
        // One transaction, so every statement runs on the same pooled connection.
        List<String> prepared = new TransactionTemplate(transactions).execute(status -> {
            for (int i = 0; i < 12; i++) {
                store.search(query);
                store.count(query);
            }
            for (int i = 0; i < 12; i++) {
                jdbc.sql("select count(*) from resource where res_type = ? and res_id = ?").params("Patient", "planning-" + i)
                        .query(Long.class).single();
            }
            return jdbc.sql("select statement from pg_prepared_statements").query(String.class).list();
        });
        assertThat(prepared).as("the driver does prepare statements it runs often on a connection")
                .anyMatch(sql -> sql.contains("from resource where res_type"));
        // A search's SQL is a select from "resource r" (SearchSqlBuilder); other code on the shared pool
        // (writes, tests reading index rows) may read sp_string in statements the driver prepares.
        assertThat(prepared).as("but never search SQL")
                .noneMatch(sql -> isSearch(sql) && sql.contains("sp_string"));
    }

    @Test
    void aSearchOfReferenceEqualitiesOnlyKeepsItsCachedPlan() {
        // subject=Patient/x: index lookups by exact value for every value, so a generic plan is as good (and saves planning).
        SearchQuery bySubject = new SearchQuery("Observation", List.of(new SearchQuery.Clause(params.find("Observation", "subject").orElseThrow(),
                null, null, List.of("Patient/planning-test-subject"))), List.of());
        SearchQuery byDate = new SearchQuery("Observation", List.of(new SearchQuery.Clause(params.find("Observation", "subject").orElseThrow(),
                null, null, List.of("Patient/planning-test-subject")), new SearchQuery.Clause(params.find("Observation", "date").orElseThrow(),
                null, null, List.of("ge2020-01-01"))), List.of());
        List<String> prepared = new TransactionTemplate(transactions).execute(status -> {
            for (int i = 0; i < 12; i++) {
                store.searchCurrent(bySubject);
                store.search(byDate);
            }
            return jdbc.sql("select statement from pg_prepared_statements").query(String.class).list();
        });
        assertThat(prepared).as("the reference-only search is server-prepared")
                .anyMatch(sql -> isSearch(sql) && sql.contains("sp_reference") && !sql.contains("sp_date"));
        assertThat(prepared).as("one with a date criterion is still planned with its values")
                .noneMatch(sql -> isSearch(sql) && sql.contains("sp_date"));
    }

    /**
     * An exact identifier lookup (every conditional write's criteria) runs on PostgreSQL's generic
     * plan: left to itself PostgreSQL re-planned it on every execution (the generic plan, costed for
     * about ten matches, lost to a custom one costed for one), 0.4–0.5 ms of planning each time. The
     * setting that asks for the generic plan is not left on the connection for the searches that must
     * be planned with their values, also when the lookup fails.
     */
    @Test
    void anExactIdentifierLookupRunsOnTheGenericPlanAndLeavesTheSettingAsItWas() {
        SearchQuery byIdentifier = new SearchQuery("Patient", List.of(new SearchQuery.Clause(params.find("Patient", "identifier").orElseThrow(),
                null, null, List.of("https://fhir.childrens-gateway.uk/Id/rio/RX9/client|planning-test"))), List.of());
        List<Object> seen = new TransactionTemplate(transactions).execute(status -> {
            for (int i = 0; i < 12; i++) {
                store.searchCurrent(byIdentifier);
            }
            // From its fifth run on a connection the driver prepares it by name: these are the runs after that.
            // (It prepares each statement of the one text by itself; the lookup's starts after "; ".)
            List<Long> plans = jdbc.sql("select coalesce(sum(generic_plans), 0) g, coalesce(sum(custom_plans), 0) c from pg_prepared_statements"
                    + " where ltrim(statement) like 'select%' and statement like '% from resource r where %' and statement like '%sp_token%'")
                    .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2))).single();
            String mode = jdbc.sql("select current_setting('plan_cache_mode')").query(String.class).single();
            return List.of(plans.get(0), plans.get(1), mode);
        });
        assertThat((Long) seen.get(0)).as("runs on the generic plan").isGreaterThan(0L);
        // Left to itself PostgreSQL plans the first five runs with their values before it weighs the generic plan.
        assertThat((Long) seen.get(1)).as("runs planned afresh").isZero();
        assertThat(seen.get(2)).isEqualTo("auto");
    }

    /**
     * A query that fails under the setting: the setting is gone afterwards, in a transaction (by its
     * rollback) and outside one (the round trip's implicit transaction). One that runs sees the
     * setting, and the connection has it no more afterwards.
     */
    @Test
    void aFailingStatementDoesNotLeaveTheGenericPlanSettingBehind() throws Exception {
        try (java.sql.Connection c = dataSource.getConnection()) {
            for (boolean inTransaction : new boolean[] {true, false}) {
                c.setAutoCommit(!inTransaction);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> GenericPlans.query(c, "select 1 / ?", s -> s.setInt(1, 0),
                        rs -> rs.next())).isInstanceOf(java.sql.SQLException.class).hasMessageContaining("division by zero");
                if (inTransaction) {
                    c.rollback();
                }
                assertThat(setting(c)).as(inTransaction ? "in a transaction" : "outside one").isEqualTo("auto");
            }
            for (boolean inTransaction : new boolean[] {true, false}) {
                c.setAutoCommit(!inTransaction);
                String during = GenericPlans.query(c, "select current_setting('plan_cache_mode')", s -> { }, rs -> {
                    rs.next();
                    return rs.getString(1);
                });
                assertThat(during).isEqualTo("force_generic_plan");
                assertThat(setting(c)).as("after a statement that ran").isEqualTo("auto");
                if (inTransaction) {
                    c.rollback();
                }
            }
            c.setAutoCommit(true);
        }
    }

    private static String setting(java.sql.Connection c) throws java.sql.SQLException {
        try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("select current_setting('plan_cache_mode')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Search SQL as SearchSqlBuilder writes it: a select (of rows, keys or a count) from {@code resource r}. */
    private static boolean isSearch(String sql) {
        return sql.startsWith("select") && sql.contains(" from resource r where ");
    }
}
