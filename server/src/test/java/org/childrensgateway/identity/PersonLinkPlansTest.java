package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The person index looks a source's links up several times per feed record. The driver prepares
 * these statements and PostgreSQL caches one generic plan per connection, made from the statistics
 * of the moment. Each lookup must be an index condition on its own key once the table is analysed,
 * and a plan cached while the table was empty must be replaced by the first ANALYZE after it fills.
 *
 * <p>Before that ANALYZE the cached plan may be any index with the pool condition alone: on an empty
 * table every index costs the same, whatever their order or predicates (tried: an exact-match index
 * per lookup, selective column first), so no index design prevents it. A plan cached on the empty
 * table, run after 20,000 links arrived, read 20,047 buffers per call. Autovacuum's ANALYZE of a new
 * table comes only up to a minute after its first 50 rows, so the gateway analyses young tables
 * itself as they double ({@code database/YoungTableStatistics}, docs/benchmarks.md, rounds 10 and 11).
 *
 * <p>The table is a temporary copy of {@code person_link} with the same indexes (it shadows the real
 * one for the transaction), so the test does not depend on what other tests stored.
 */
class PersonLinkPlansTest extends GatewayTestBase {

    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private PlatformTransactionManager transactions;

    static Stream<Arguments> lookups() {
        return Stream.of(
                Arguments.of("open links of a source", PersonIndexStore.OPEN_LINKS_OF_SOURCE, "source_id"),
                Arguments.of("current link of a source", PersonIndexStore.CURRENT_LINK_OF_SOURCE, "source_id"),
                Arguments.of("rejected children of a source", PersonIndexStore.REJECTED_CHILDREN_OF_SOURCE, "source_id"),
                Arguments.of("members of a child record", PersonIndexStore.MEMBERS_OF_CHILD, "child_id"));
    }

    @ParameterizedTest(name = "{0}, on a table analysed with 20,000 open links in one pool")
    @MethodSource("lookups")
    void aLookupIsAnIndexConditionOnItsKeyOnAFullTable(String what, String sql, String key) {
        List<String> plan = genericPlanOnAFullAnalysedTable(sql);
        assertThat(indexConditions(plan)).as(String.join("\n", plan)).anyMatch(c -> c.contains(key));
    }

    /**
     * As a new deployment meets it: the plan is cached while the table is empty, then 20,000 open
     * links arrive. After an ANALYZE the cached plan must read a handful of buffers per call, not
     * the pool's every link.
     */
    @ParameterizedTest(name = "{0}, planned on an empty table, run after it filled and was analysed")
    @MethodSource("lookups")
    void aPlanCachedOnAnEmptyTableIsReplacedOnceTheFullTableIsAnalysed(String what, String sql, String key) {
        List<String> run = new TransactionTemplate(transactions).execute(status -> {
            jdbc.sql("create temporary table person_link (like public.person_link including all) on commit drop").update();
            jdbc.sql("prepare lookup as " + numbered(sql)).update();
            jdbc.sql("set local plan_cache_mode = force_generic_plan").update();
            jdbc.sql("execute lookup('Patient', 'source-7')").query((rs, n) -> n).list(); // caches the plan
            fill();
            jdbc.sql("analyze person_link").update();
            List<String> plan = jdbc.sql("explain (analyze, buffers, costs off, timing off) execute lookup('Patient', 'source-7')")
                    .query(String.class).list();
            jdbc.sql("deallocate lookup").update();
            status.setRollbackOnly();
            return plan;
        });
        int buffers = run.stream().filter(l -> l.trim().startsWith("Buffers:")).findFirst()
                .map(l -> l.replaceAll(".*hit=(\\d+).*", "$1")).map(Integer::parseInt).orElseThrow();
        assertThat(buffers).as(String.join("\n", run)).isLessThan(20);
    }

    /** One pool, every link open, a few children with many members: the shape that made the child index look cheap. */
    private void fill() {
        jdbc.sql("insert into person_link (pool, source_id, child_id, status, method, created_by)"
                + " select 'Patient', 'source-' || g, 'child-' || (g % 5000), case when g % 50 = 0 then 'rejected' else 'linked' end,"
                + " 'auto', 'test' from generate_series(1, 20000) g").update();
    }

    private List<String> genericPlanOnAFullAnalysedTable(String sql) {
        return new TransactionTemplate(transactions).execute(status -> {
            jdbc.sql("create temporary table person_link (like public.person_link including all) on commit drop").update();
            fill();
            jdbc.sql("analyze person_link").update();
            // The plan a cached statement gets: prepared, and planned generically whatever the values.
            jdbc.sql("prepare lookup as " + numbered(sql)).update();
            jdbc.sql("set local plan_cache_mode = force_generic_plan").update();
            List<String> plan = jdbc.sql("explain execute lookup('Patient', 'x')").query(String.class).list();
            jdbc.sql("deallocate lookup").update();
            status.setRollbackOnly();
            return plan;
        });
    }

    private static List<String> indexConditions(List<String> plan) {
        return plan.stream().filter(l -> l.contains("Index Cond")).toList();
    }

    /** JDBC's ? placeholders as the $n that PREPARE takes. */
    private static String numbered(String sql) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (char c : sql.toCharArray()) {
            if (c == '?') {
                out.append('$').append(++n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
