package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which entries of the read mix's responses are written from stored JSON and which HAPI encodes,
 * and why (no stored row: composed or made by the gateway; reduced; otherwise changed): the bench's
 * child written by RiO, read by the GP. Prints counts per kind (types and reasons only, no data).
 * Opt-in: {@code mvn -o -B -pl server -am verify -Dtest=SearchsetEntriesTest -Dsurefire.failIfNoSpecifiedTests=false -Dreads.entries=true}.
 */
@EnabledIfSystemProperty(named = "reads.entries", matches = "true")
class SearchsetEntriesTest extends GatewayTestBase {

    private static final ObjectMapper JSON = StoredJsonLayout.JSON;
    private static final int CHILDREN = 4;

    @Autowired
    private JdbcClient jdbc;

    @Test
    void entriesWithAndWithoutStoredJsonPerReadKind() throws Exception {
        Map<String, Map<String, Integer>> perKind = new LinkedHashMap<>();
        for (int i = 0; i < CHILDREN; i++) {
            String client = FhirFixtures.uniqueId("SE");
            var w = fhirAs("rio-hv").body(BenchChild.transaction(client)).post("");
            assertThat(w.statusCode()).as(w.asString()).isEqualTo(200);
            String id = w.jsonPath().getString("entry[0].response.location").split("/")[1];
            Map<String, String> kinds = new LinkedHashMap<>();
            kinds.put("read", "/Patient/" + id);
            kinds.put("search-identifier", "/Patient?identifier=" + BenchChild.RIO_CLIENT + "|" + client);
            kinds.put("observation-by-subject", "/Observation?subject=Patient/" + id);
            kinds.put("everything", "/Patient/" + id + "/$everything");
            for (var k : kinds.entrySet()) {
                JsonNode body = JSON.readTree(fhirAs("systmone-gp").urlEncodingEnabled(true).get(k.getValue()).then().statusCode(200)
                        .extract().asString());
                Map<String, Integer> into = perKind.computeIfAbsent(k.getKey(), x -> new TreeMap<>());
                if (!"Bundle".equals(body.path("resourceType").asText())) {
                    into.merge(classify(body, null), 1, Integer::sum);
                    continue;
                }
                for (JsonNode e : body.path("entry")) {
                    into.merge(classify(e.path("resource"), e.path("search").path("mode").asText("-")), 1, Integer::sum);
                }
            }
        }
        StringBuilder out = new StringBuilder("SEARCHSET ENTRIES (").append(CHILDREN).append(" children, read by the GP):\n");
        perKind.forEach((kind, counts) -> {
            out.append("== ").append(kind).append('\n');
            counts.forEach((what, n) -> out.append(String.format("   %5.2f per request  %s%n", n / (double) CHILDREN, what)));
        });
        System.out.println(out);
        assertThat(perKind).hasSize(4);
    }

    /** "type mode: how written". */
    private String classify(JsonNode resource, String mode) throws Exception {
        String type = resource.path("resourceType").asText();
        String id = resource.path("id").asText();
        String stored = jdbc.sql("select content::text from resource where res_type = ? and res_id = ?").params(type, id)
                .query(String.class).optional().orElse(null);
        String how;
        if (stored != null && JSON.writeValueAsString(resource).equals(StoredJsonLayout.laidOut(stored))) {
            how = "stored JSON";
        } else if (stored == null) {
            how = "encoded: no stored row";
        } else if (resource.path("meta").path("security").toString().contains("REDACTED")) {
            how = "encoded: reduced (REDACTED)";
        } else if (JSON.readTree(stored).path("meta").path("tag").toString().contains(DerivedRecords.TAG_SYSTEM)
                || resource.path("meta").path("tag").toString().contains(DerivedRecords.TAG_SYSTEM)) {
            how = "encoded: derived (composed)";
        } else if (JSON.readTree(StoredJsonLayout.laidOut(stored)).equals(resource)) {
            how = "encoded: same content as stored";
        } else {
            how = "encoded: differs from stored";
        }
        return type + (mode == null ? "" : " " + mode) + ": " + how;
    }
}
