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

    /** Search SQL as SearchSqlBuilder writes it: a select (of rows, keys or a count) from {@code resource r}. */
    private static boolean isSearch(String sql) {
        return sql.startsWith("select") && sql.contains(" from resource r where ");
    }
}
