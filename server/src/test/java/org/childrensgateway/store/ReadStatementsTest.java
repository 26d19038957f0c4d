package org.childrensgateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.conformance.EmittedConformanceConfiguration;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * How many SQL statements (and commits) each kind of the benchmark's consent-filtered read mix
 * executes, as another organisation than the writer: the bench's child (Patient, RelatedPerson,
 * Consent granting the GP, 4 Observations, CarePlan) written by RiO, read by the GP. Counted at the
 * JDBC level over all threads (the audit group commit included), per request, after a warm-up.
 * Opt-in: {@code mvn -o -B -pl server -am verify -Dtest=ReadStatementsTest -Dsurefire.failIfNoSpecifiedTests=false -Dreads.count=true}.
 */
@EnabledIfSystemProperty(named = "reads.count", matches = "true")
@Import({EmittedConformanceConfiguration.class, CountingDataSource.class})
// Its own context (the counting DataSource), so its own database: a second server started with
// clean=true on the shared folder would delete the files under the other context's running server.
@TestPropertySource(properties = "gateway.embedded-db.data-dir=target/test-postgres-counting")
class ReadStatementsTest extends GatewayTestBase {

    private static final String RIO_CLIENT = org.childrensgateway.fhir.BenchChild.RIO_CLIENT;
    private static final int CHILDREN = 6;
    private static final int ROUNDS = 3;

    @Test
    void statementsPerReadKind() throws Exception {
        String[] ids = new String[CHILDREN];
        String[] clients = new String[CHILDREN];
        for (int i = 0; i < CHILDREN; i++) {
            clients[i] = FhirFixtures.uniqueId("BR");
            ids[i] = writeChild(clients[i]);
        }
        Thread.sleep(1_000);
        Map<String, String> kinds = new LinkedHashMap<>();
        Map<String, Map<String, Long>> perKind = new LinkedHashMap<>();
        String token = tokenFor("systmone-gp");
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < CHILDREN; i++) {
                kinds.put("read", "/Patient/" + ids[i]);
                kinds.put("search-identifier", "/Patient?identifier=" + RIO_CLIENT + "|" + clients[i]);
                kinds.put("observation-by-subject", "/Observation?subject=Patient/" + ids[i]);
                kinds.put("everything", "/Patient/" + ids[i] + "/$everything");
                for (Map.Entry<String, String> k : kinds.entrySet()) {
                    Thread.sleep(150); // the previous request's audit group commit has run
                    CountingDataSource.reset();
                    fhir().header("Authorization", "Bearer " + token).urlEncodingEnabled(true).get(k.getValue()).then().statusCode(200);
                    Thread.sleep(150);
                    if (round == ROUNDS - 1) {
                        Map<String, Long> into = perKind.computeIfAbsent(k.getKey(), x -> new java.util.TreeMap<>());
                        CountingDataSource.snapshot().forEach((sql, n) -> into.merge(sql, n, Long::sum));
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder("READ STATEMENTS per request (").append(CHILDREN).append(" children):\n");
        perKind.forEach((kind, bySql) -> {
            long total = bySql.values().stream().mapToLong(Long::longValue).sum();
            out.append(String.format("== %s: %.2f statements per request (commits %.2f)%n", kind, total / (double) CHILDREN,
                    bySql.getOrDefault("COMMIT", 0L) / (double) CHILDREN));
            bySql.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e ->
                    out.append(String.format("   %6.2f  %s%n", e.getValue() / (double) CHILDREN,
                            e.getKey().length() > 220 ? e.getKey().substring(0, 220) + "…" : e.getKey())));
        });
        System.out.println(out);
        assertThat(perKind).hasSize(4);
    }

    /** The bench's child ({@link org.childrensgateway.fhir.BenchChild}), as one transaction by RiO. Returns the Patient id. */
    private String writeChild(String clientId) {
        var r = fhirAs("rio-hv").body(org.childrensgateway.fhir.BenchChild.transaction(clientId)).post("");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        String location = r.jsonPath().getString("entry[0].response.location");
        return location.split("/")[1];
    }
}
