package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.operations.RequestIdFilter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A transaction's response carries each written resource as the JSON it was stored as, not encoded
 * again (StoredJsonResponse). The response must be the same Bundle HAPI encodes (asked for here with
 * {@code _format=json}, which takes the encoding path): same entries in the same order, same
 * resources, same response elements. An entry HAPI would answer differently (a search) leaves the
 * whole Bundle to HAPI. Every such request is audited.
 */
class StoredJsonTransactionTest extends GatewayTestBase {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    private static final String SOURCE = "https://fhir.childrens-gateway.uk/Id/test/client";

    @Autowired
    private JdbcClient jdbc;

    private static String bundle(String sourceId, String extra) {
        return """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"fullUrl": "urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a",
                   "resource": %s,
                   "request": {"method": "POST", "url": "Patient", "ifNoneExist": "identifier=%s|%s"}},
                  {"fullUrl": "urn:uuid:88f151c0-a954-468a-88bd-5ae15c08e059",
                   "resource": %s,
                   "request": {"method": "PUT", "url": "Observation?identifier=%s|%s-obs"}}%s
                ]}
                """.formatted(FhirFixtures.patient(sourceId, null, "Storedjson", "Tx", "2024-11-02", "male", "SA1 1AA"),
                SOURCE, sourceId,
                FhirFixtures.observation("urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a", "27113001", "2025-01-10T10:30:00Z", 9.10)
                        .replaceFirst("\\{", "{\"identifier\": [{\"system\": \"" + SOURCE + "\", \"value\": \"" + sourceId + "-obs\"}],"),
                SOURCE, sourceId, extra);
    }

    @Test
    void writtenResourcesAreAnsweredAsStoredAndTheBundleIsTheOneHapiEncodes() throws Exception {
        String sourceId = FhirFixtures.uniqueId("SX");
        Response created = fhir().body(bundle(sourceId, "")).post("");
        created.then().statusCode(200);
        JsonNode first = JSON.readTree(created.asString());
        assertThat(first.path("type").asText()).isEqualTo("transaction-response");
        assertThat(first.path("entry")).hasSize(2);
        String patientId = first.path("entry").get(0).path("resource").path("id").asText();
        String obsId = first.path("entry").get(1).path("resource").path("id").asText();
        assertThat(first.path("entry").get(0).path("response").path("status").asText()).startsWith("201");
        assertThat(first.path("entry").get(0).path("resource")).as("the Patient as stored")
                .isEqualTo(JSON.readTree(stored("Patient", patientId)));
        assertThat(first.path("entry").get(1).path("resource")).as("the Observation as stored, its decimal as sent")
                .isEqualTo(JSON.readTree(stored("Observation", obsId)));
        assertThat(first.path("entry").get(1).path("resource").path("subject").path("reference").asText()).isEqualTo("Patient/" + patientId);
        assertThat(created.asString()).as("members in HAPI's order in each entry").contains("{\"fullUrl\":");
        assertAudited(created);

        // The same transaction again: both entries match what is stored and change nothing, so the
        // fast path's answer and HAPI's are about the same resources and must be the same Bundle.
        Response fast = fhir().body(bundle(sourceId, "")).post("");
        Response encoded = fhir().queryParam("_format", "json").body(bundle(sourceId, "")).post("");
        fast.then().statusCode(200);
        encoded.then().statusCode(200);
        assertThat(withoutBundleId(fast.asString())).isEqualTo(withoutBundleId(encoded.asString()));
        assertThat(layout(fast.asString())).isEqualTo(layout(encoded.asString()));
        assertThat(fast.contentType()).isEqualTo(encoded.contentType());
        assertAudited(fast);
    }

    @Test
    void aBundleWithASearchEntryIsEncodedByHapi() throws Exception {
        String sourceId = FhirFixtures.uniqueId("SX");
        String search = """
                ,
                  {"request": {"method": "GET", "url": "Patient?identifier=%s|%s"}}""".formatted(SOURCE, sourceId);
        Response response = fhir().body(bundle(sourceId, search)).post("");
        response.then().statusCode(200);
        JsonNode body = JSON.readTree(response.asString());
        assertThat(body.path("entry")).hasSize(3);
        assertThat(body.path("entry").get(2).path("resource").path("resourceType").asText()).isEqualTo("Bundle");
        assertThat(body.path("entry").get(2).path("resource").path("total").asInt()).isEqualTo(1);
        assertAudited(response);
    }

    /**
     * The Bundle as laid out, without the resources' own members: each entry's member names in order
     * and everything else in document order. Within a resource, members follow PostgreSQL's jsonb
     * order, as on reads (StoredJsonReadTest), so only what HAPI lays out itself is compared in order.
     */
    private static String layout(String json) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json);
        for (JsonNode entry : tree.path("entry")) {
            com.fasterxml.jackson.databind.node.ObjectNode e = (com.fasterxml.jackson.databind.node.ObjectNode) entry;
            if (e.has("resource")) {
                e.put("resource", e.get("resource").path("resourceType").asText());
            }
        }
        tree.remove("id");
        return JSON.writeValueAsString(tree);
    }

    /** The response Bundle with its id (HAPI gives each response a new one) left out. */
    private static JsonNode withoutBundleId(String json) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json);
        assertThat(tree.path("id").asText()).isNotEmpty();
        tree.remove("id");
        return tree;
    }

    private String stored(String type, String id) {
        return jdbc.sql("select content::text from resource where res_type = ? and res_id = ?").params(type, id).query(String.class).single();
    }

    private void assertAudited(Response response) {
        String requestId = response.header(RequestIdFilter.HEADER);
        assertThat(requestId).isNotNull();
        List<String> found = jdbc.sql("select content::text from resource where res_type = 'AuditEvent' and content::text like ?")
                .param("%" + requestId + "%").query(String.class).list();
        assertThat(found).as("one AuditEvent for request " + requestId).hasSize(1);
    }
}
