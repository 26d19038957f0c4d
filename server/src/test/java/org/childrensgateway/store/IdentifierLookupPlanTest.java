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

    private void write(String type, String id, Instant now) {
        IndexRows rows = new IndexRows();
        rows.tokens.add(new IndexRows.Token("identifier", SYSTEM, "code-" + id));
        store.write(type, id, 1, now, "{\"resourceType\":\"Basic\",\"id\":\"" + id + "\"}", rows, "POST");
    }

    private long tokenIndexScans() {
        return jdbc.sql("select pg_stat_get_xact_numscans('sp_token_code_ix'::regclass)").query(Long.class).single();
    }
}
