package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The person index's candidate look-up (two statements per matched record) runs on its generic
 * plans, and those plans are the same key look-ups as the custom ones. Left to itself PostgreSQL
 * planned both afresh on every call: 0.25 ms of planning per feed record for 0.1 ms of execution
 * (docs/benchmarks.md, round 12).
 *
 * <p>The tables are temporary copies of the person index's, with its indexes, filled with 20,000
 * linked sources and analysed (they shadow the real ones for the transaction), so the test does not
 * depend on what other tests stored.
 */
class CandidatePlansTest extends GatewayTestBase {

    private static final int SOURCES = 20_000;

    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private PersonIndexStore store;
    @Autowired
    private PlatformTransactionManager transactions;

    @Test
    void theCandidateLookupIsPlannedOnceAndFindsTheSharedKeysChildren() {
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            fill();
            List<LinkDecider.Candidate> found = List.of();
            // More calls than the driver's prepare threshold (5), so the statements are prepared on the server.
            for (int i = 0; i < 10; i++) {
                found = store.candidates("PlanTest", Set.of("key-" + (100 + i)), "arriving", 50);
            }
            // key-109 is held by sources 109, 5109, 10109 and 15109, of children child-109 and child-1109 (ten members each).
            assertThat(found).extracting(LinkDecider.Candidate::childId).containsOnly("child-109", "child-1109").hasSize(20);
            List<String> plans = jdbc.sql("select generic_plans || ' generic, ' || custom_plans || ' custom: ' || left(statement, 80)"
                            + " from pg_prepared_statements where statement like '%identity_key k where%' or statement like '%join identity_features f%'")
                    .query(String.class).list();
            assertThat(plans).as("both statements, prepared on the server").hasSize(2)
                    .allMatch(p -> p.contains(" 0 custom"), "no custom plan");
            status.setRollbackOnly();
        });
    }

    @Test
    void theGenericPlansAreKeyLookups() {
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            fill();
            jdbc.sql("set local plan_cache_mode = force_generic_plan").update();
            String children = plan(PersonIndexStore.CANDIDATE_CHILDREN, "'{key-7,key-8}', 'PlanTest', 'x', 50, 50, 'PlanTest'");
            assertThat(children).contains("Index Cond: ((pool = $2) AND (key = u.key))").doesNotContain("Seq Scan");
            String members = plan(PersonIndexStore.CANDIDATE_MEMBERS, "'{child-7,child-8}', 'PlanTest', 'x'");
            assertThat(members).contains("(child_id)::text = c.child_id").doesNotContain("Seq Scan").doesNotContain("Hash");
            status.setRollbackOnly();
        });
    }

    private String plan(String sql, String values) {
        jdbc.sql("prepare candidate_plan as " + numbered(sql)).update();
        String plan = String.join("\n", jdbc.sql("explain (analyze, buffers, costs off, timing off) execute candidate_plan(" + values + ")")
                .query(String.class).list());
        jdbc.sql("deallocate candidate_plan").update();
        int buffers = plan.lines().filter(l -> l.trim().startsWith("Buffers:")).findFirst()
                .map(l -> Integer.parseInt(l.replaceAll(".*hit=(\\d+).*", "$1"))).orElse(0);
        assertThat(buffers).as(plan).isLessThan(100);
        return plan;
    }

    /** 20,000 linked sources of 2,000 children, four sources to a key. */
    private void fill() {
        for (String table : List.of("identity_key", "identity_features", "person_link")) {
            jdbc.sql("create temporary table " + table + " (like public." + table + " including all) on commit drop").update();
        }
        jdbc.sql("insert into identity_features (pool, source_id, features) select 'PlanTest', 'source-' || g,"
                + " jsonb_build_object('sourceId', 'source-' || g, 'family', 'Plan') from generate_series(1, " + SOURCES + ") g").update();
        jdbc.sql("insert into identity_key (pool, key, source_id) select 'PlanTest', 'key-' || (g % 5000), 'source-' || g"
                + " from generate_series(1, " + SOURCES + ") g").update();
        jdbc.sql("insert into person_link (pool, source_id, child_id, status, method, created_by) select 'PlanTest', 'source-' || g,"
                + " 'child-' || (g % 2000), 'linked', 'auto', 'test' from generate_series(1, " + SOURCES + ") g").update();
        for (String table : List.of("identity_key", "identity_features", "person_link")) {
            jdbc.sql("analyze " + table).update();
        }
    }

    /** JDBC's ? placeholders as the $n that PREPARE takes. */
    private static String numbered(String sql) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (char c : sql.toCharArray()) {
            out.append(c == '?' ? "$" + (++n) : String.valueOf(c));
        }
        return out.toString();
    }
}
