package org.childrensgateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.consent.ChildFacts;
import org.childrensgateway.consent.ConsentDirective;
import org.childrensgateway.consent.RecordingOrganisation;
import org.childrensgateway.fhir.FhirFixtures;
import org.childrensgateway.security.Caller;
import org.childrensgateway.store.ResourceStore;
import org.childrensgateway.store.SearchQuery;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A broad search decides its matches from a projection built in PostgreSQL (only the top-level
 * members the facts reader reads, {@link StoredFacts.Reader#members}). For every resource of
 * {@link StoredFactsTest} (each kind of resource, security label, recorder, subject and derived
 * record the consent tests use) and every crafted JSON the reader must decline, stored in the real
 * database, the reader gives the projection exactly what it gives the whole stored JSON: the same
 * facts, the same audit patients, the same decisions for every caller, consent and child state,
 * and a refusal (so the whole version is loaded and decided) wherever the whole JSON is refused.
 * The rows are written and read in one transaction that is rolled back.
 */
class ProjectedFactsTest extends GatewayTestBase {

    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private ResourceStore store;
    @Autowired
    private TransactionTemplate transactions;

    @Test
    void theProjectionGivesTheReaderWhatTheWholeStoredJsonGives() {
        List<String[]> rows = new ArrayList<>();
        StoredFactsTest.resources().forEach(a -> {
            Resource r = (Resource) a.get()[1];
            rows.add(new String[] {r.fhirType(), StoredFactsTest.CODEC.encode(r), "sure"});
        });
        for (String json : List.of(
                "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"Patient/p1?x=1\"}}",
                "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"\"}}",
                "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":12}}",
                "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":null}}",
                "{\"resourceType\":\"Observation\",\"meta\":{\"security\":[{\"system\":\"s\"}]}}",
                "{\"resourceType\":\"Observation\",\"meta\":{\"security\":[{\"system\":\"s\",\"code\":null}]}}",
                "{\"resourceType\":\"Observation\",\"meta\":{\"tag\":[{\"system\":\"" + RecordingOrganisation.SYSTEM + "\"}]}}",
                "{\"resourceType\":\"Observation\",\"meta\":{\"tag\":[{\"system\":null,\"code\":\"x\"}]}}",
                "{\"resourceType\":\"Observation\",\"meta\":{\"tag\":{\"system\":\"x\",\"code\":\"y\"}}}",
                "{\"resourceType\":\"Observation\",\"meta\":null}",
                "{\"resourceType\":\"Observation\",\"note\":[{}]}",
                "{\"resourceType\":\"Observation\",\"note\":{\"text\":\"x\"}}",
                "{\"resourceType\":\"Observation\",\"note\":null}",
                "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"Patient/p1\"},\"subject\":{\"reference\":\"Patient/p2\"}}",
                "{\"resourceType\":\"Patient\"}",
                "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"http://elsewhere/fhir/Patient/p1\"}}",
                "{\"resourceType\":\"Observation\",\"focus\":[{\"reference\":\"Patient/p9\"}],\"subject\":{\"reference\":\"Patient/p1\"}}",
                "[1, 2]",
                "{}")) {
            rows.add(new String[] {"Observation", json, "crafted"});
        }
        int[] compared = {0};
        transactions.executeWithoutResult(tx -> {
            tx.setRollbackOnly();
            for (String[] row : rows) {
                String id = FhirFixtures.uniqueId("pj");
                jdbc.sql("insert into resource (res_type, res_id, version_id, last_updated, deleted, content)"
                        + " values (?, ?, 1, now(), false, ?::jsonb)").params(row[0], id, row[1]).update();
                StoredResource whole = store.read(row[0], id).orElseThrow();
                StoredResource projected = projection(row[0], id);
                assertThat(projected.json() == null ? 0 : projected.json().length()).as("a projection, not the whole: " + row[1])
                        .isLessThanOrEqualTo(whole.json().length());
                Optional<StoredFacts> fromWhole = StoredFactsTest.READER.read(whole);
                Optional<StoredFacts> fromProjection = StoredFactsTest.READER.read(projected);
                if (row[2].equals("sure")) {
                    assertThat(fromWhole).as(row[1]).isPresent();
                }
                assertThat(fromProjection).as("the projection of " + row[1]).isEqualTo(fromWhole);
                fromWhole.ifPresent(facts -> sameDecisions(facts, fromProjection.orElseThrow(), row[1]));
                compared[0]++;
            }
        });
        assertThat(compared[0]).isEqualTo(rows.size());
    }

    /** The match as the broad search reads it: the store's projection of the reader's members for the type. */
    private StoredResource projection(String type, String id) {
        List<StoredResource> found = new ArrayList<>();
        Set<String> members = StoredFactsTest.READER.members(type).orElse(Set.of("resourceType", "meta", "note"));
        store.searchMembers(new SearchQuery(type, List.of(new SearchQuery.Clause(null, SearchQuery.Special.ID, null, List.of(id))), List.of()),
                members, found::add);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static void sameDecisions(StoredFacts whole, StoredFacts projected, String json) {
        LocalDate today = LocalDate.of(2026, 12, 1);
        for (Caller caller : StoredFactsTest.callers()) {
            for (List<ConsentDirective> consent : StoredFactsTest.consents()) {
                for (ChildFacts child : StoredFactsTest.children()) {
                    assertThat(StoredFactsTest.DECISIONS.decide(caller, projected.decision(), p -> consent, p -> child, today))
                            .as(json + " for " + caller.role())
                            .isEqualTo(StoredFactsTest.DECISIONS.decide(caller, whole.decision(), p -> consent, p -> child, today));
                }
            }
        }
    }
}
