package org.childrensgateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.search.SearchParamDefinition;
import org.childrensgateway.search.SearchParamType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A conditional write's criteria ({@code identifier=system|value}) must cost one probe of the token
 * index however many resources of the type are stored. A feed creates the first resources of a type
 * (the centre's EpisodeOfCare) faster than ANALYZE sees them; while the planner's statistics said the
 * type was all but absent, every match walked all of its resources and probed the token index once
 * for each (docs/benchmarks.md, "Conditional matches that grew with the feed").
 */
class IdentifierLookupPlanTest extends GatewayTestBase {

    private static final String SYSTEM = "https://fhir.childrens-gateway.uk/Id/lookup-test";
    private static final int STORED = 200;
    private static final int FILLER = 2000;

    @Autowired
    private ResourceStore store;
    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private PlatformTransactionManager transactions;

    @Test
    void anIdentifierLookupProbesTheTokenIndexOnceHoweverManyResourcesOfItsTypeTheStatisticsHaveNotSeen() {
        // A type of its own, unknown to the statistics taken now; then many of it, and a resource of
        // another type with the same identifier (which the lookup must not find).
        String type = "LookupTest" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // A store the statistics know well (as after the transaction ingest), then the new type's resources.
        for (int i = 0; i < FILLER; i++) {
            write(type + "Known", "lk-" + i, now);
        }
        jdbc.sql("analyze resource").update();
        jdbc.sql("analyze sp_token").update();
        for (int i = 0; i < STORED; i++) {
            write(type, "lk-" + i, now);
        }
        write(type + "Other", "lk-150", now);
        SearchParamDefinition identifier = new SearchParamDefinition(type, "identifier", SearchParamType.TOKEN, "identifier", Set.of(), "");
        SearchQuery lookup = new SearchQuery(type, List.of(new SearchQuery.Clause(identifier, null, null, List.of(SYSTEM + "|code-lk-150"))),
                List.of());

        StringBuilder plan = new StringBuilder();
        // One transaction: the lookups and the scan counts of this transaction on one connection.
        long[] scans = new TransactionTemplate(transactions).execute(status -> {
            long before = tokenIndexScans();
            for (int i = 0; i < 3; i++) {
                List<StoredResource> found = store.searchCurrent(lookup);
                assertThat(found).extracting(StoredResource::type, StoredResource::id).containsExactly(org.assertj.core.groups.Tuple.tuple(type, "lk-150"));
            }
            long after = tokenIndexScans();
            plan.append(String.join("\n", jdbc.sql("explain " + SearchSqlBuilder.rows("r.pid", lookup).sql())
                    .params(SearchSqlBuilder.rows("r.pid", lookup).args()).query(String.class).list()));
            return new long[] {before, after};
        });
        assertThat(scans[1] - scans[0]).as("token index scans for three lookups among " + STORED + " resources of the type")
                .withFailMessage("%s token index scans; plan:%n%s", scans[1] - scans[0], plan).isLessThanOrEqualTo(3);
    }

    /**
     * Whatever the statistics say, the generic plan of an exact identifier lookup (the one it runs
     * on) reaches the resource table only by pid, after the token index has found the matches. As an
     * EXISTS it was, with statistics taken while audit rows filled {@code sp_token}, a merge join
     * walking every resource in pid order up to the match (docs/benchmarks.md, round 11).
     */
    @Test
    void anIdentifierLookupsGenericPlanReachesResourcesOnlyByTheMatchesPids() {
        SearchParamDefinition identifier = new SearchParamDefinition("Patient", "identifier", SearchParamType.TOKEN, "identifier", Set.of(), "");
        for (List<String> values : List.of(List.of(SYSTEM + "|one"), List.of(SYSTEM + "|one", SYSTEM + "|two"))) {
            SearchQuery lookup = new SearchQuery("Patient", List.of(new SearchQuery.Clause(identifier, null, null, values)), List.of());
            for (SqlFragment sql : List.of(SearchSqlBuilder.rows("r.pid", lookup), SearchSqlBuilder.count(lookup))) {
                String plan = genericPlan(sql);
                // How sp_token is read depends on its size (a scan of a small test table); what must not is how resource is.
                assertThat(plan).as("the matching index rows first, once").contains("InitPlan 1");
                assertThat(plan).as("then the resources by the matches' pids").contains("Index Cond: (pid = ANY ((InitPlan");
                assertThat(plan).as("no walk of the resource table").doesNotContain("Seq Scan on resource").doesNotContain("Merge");
            }
        }
    }

    /** The plan PostgreSQL keeps for the statement once it is prepared, as the lookups run it (GenericPlans). */
    private String genericPlan(SqlFragment sql) {
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (char ch : sql.sql().toCharArray()) {
            numbered.append(ch == '?' ? "$" + (++n) : String.valueOf(ch));
        }
        // EXECUTE's arguments cannot be bound parameters: the test's own values, as literals.
        String values = String.join(", ", sql.args().stream()
                .map(a -> a instanceof Number ? a.toString() : "'" + a.toString().replace("'", "''") + "'").toList());
        // A name of its own: a prepared statement outlives a failed transaction on the pooled connection.
        String name = "identifier_plan_" + UUID.randomUUID().toString().replace("-", "");
        return new TransactionTemplate(transactions).execute(status -> {
            jdbc.sql("set local plan_cache_mode = force_generic_plan").update();
            jdbc.sql("prepare " + name + " as " + numbered).update();
            String plan = String.join("\n", jdbc.sql("explain (costs off) execute " + name + "(" + values + ")")
                    .query(String.class).list());
            jdbc.sql("deallocate " + name).update();
            return plan;
        });
    }

    private void write(String type, String id, Instant now) {
        IndexRows rows = new IndexRows();
        rows.tokens.add(new IndexRows.Token("identifier", SYSTEM, "code-" + id));
        store.write(type, id, 1, now, "{\"resourceType\":\"Basic\",\"id\":\"" + id + "\"}", rows, "POST");
    }

    private long tokenIndexScans() {
        return jdbc.sql("select pg_stat_get_xact_numscans('sp_token_code_ix'::regclass)").query(Long.class).single();
    }
}
