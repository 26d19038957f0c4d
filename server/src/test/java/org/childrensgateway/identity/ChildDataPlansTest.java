package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The child record's {@code $everything} query runs on PostgreSQL's generic plan. Left to itself,
 * PostgreSQL planned it afresh on every run (0.8 ms of planning for 0.35 ms of execution in the
 * benchmark, docs/benchmarks.md round 11), and it leaves the setting as it was.
 */
class ChildDataPlansTest extends GatewayTestBase {

    @Autowired
    private ChildDataQuery query;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private PlatformTransactionManager transactions;

    @Test
    void everythingRunsOnItsGenericPlan() {
        List<Object> seen = new TransactionTemplate(transactions).execute(status -> {
            // One transaction, one pooled connection: from its fifth run the driver prepares the statement by name.
            for (int i = 0; i < 12; i++) {
                query.keys(List.of("plans-child-" + i, "plans-source-" + i), null, null);
            }
            List<Long> plans = jdbc.sql("select coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0) from pg_prepared_statements"
                    + " where statement like '%with pats as%'").query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2))).single();
            String mode = jdbc.sql("select current_setting('plan_cache_mode')").query(String.class).single();
            return List.of(plans.get(0), plans.get(1), mode);
        });
        assertThat((Long) seen.get(0)).as("runs on the generic plan").isGreaterThan(0L);
        // Left to itself PostgreSQL plans the first five runs with their values, and this one every run.
        assertThat((Long) seen.get(1)).as("runs planned afresh").isZero();
        assertThat(seen.get(2)).as("the setting afterwards").isEqualTo("auto");
    }
}
