package org.childrensgateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.conformance.EmittedConformanceConfiguration;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A transaction Bundle's new resources are held and written together, in one statement
 * ({@link HeldCreates}): the rows stored must be exactly those a create of each on its own stores,
 * later entries of the transaction must see the earlier ones' creates, and a create whose id is
 * taken must still fail the transaction at its entry.
 */
@Import({EmittedConformanceConfiguration.class, CountingDataSource.class})
// Its own context (the counting DataSource), so its own database: a second server started with
// clean=true on the shared folder would delete the files under the other context's running server.
@TestPropertySource(properties = "gateway.embedded-db.data-dir=target/test-postgres-counting")
class TransactionCreatesTest extends GatewayTestBase {

    /** The statement that writes held creates, and the one that writes a resource on its own. */
    private static final String HELD = "with p as (select * from unnest(";
    private static final String SINGLE = "with r as (insert into resource (";
    private static final String SOURCE = "https://fhir.childrens-gateway.uk/Id/test/client";
    private static final String SCOPE = "https://fhir.childrens-gateway.uk/CodeSystem/consent-scope";
    private static final List<String> INDEX = List.of(
            "select res_type || '|token|' || name || '|' || coalesce(system, '<null>') || '|' || code from sp_token",
            "select res_type || '|string|' || name || '|' || value_norm || '|' || value_exact from sp_string",
            "select res_type || '|date|' || name || '|' || low || '|' || high from sp_date",
            "select res_type || '|reference|' || name || '|' || target_type || '|' || target_id from sp_reference");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private JdbcClient jdbc;

    @Test
    void aTransactionsCreatesAreOneStatementWhateverTheirNumber() throws Exception {
        String patient = createAs("rio-hv", "Patient",
                FhirFixtures.patient(FhirFixtures.uniqueId("HC"), null, "Held", "Ann", "2023-04-05", "female", "CF10 1AA"));
        Map<String, Long> few = statementsOf(resources(patient, 1));
        Map<String, Long> many = statementsOf(resources(patient, 6));
        assertThat(count(few, HELD)).as("held-create statements, %s", few).isEqualTo(1);
        assertThat(count(many, HELD)).as("held-create statements, %s", many).isEqualTo(1);
        // 4 resources against 24: the one-by-one writes left are the same few (the request's audit record).
        assertThat(count(many, SINGLE)).as("one-by-one writes, %s", many).isEqualTo(count(few, SINGLE));
    }

    @Test
    void heldCreatesStoreTheRowsOfCreatesOneByOne() throws Exception {
        String patient = createAs("rio-hv", "Patient",
                FhirFixtures.patient(FhirFixtures.uniqueId("HR"), null, "Rows", "Bea", "2023-05-06", "male", "SA1 1AA"));
        List<String[]> resources = resources(patient, 2);
        Response response = fhirAs("rio-hv").body(transaction(resources)).post("");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        JsonNode entries = JSON.readTree(response.asString()).get("entry");
        assertThat(entries).hasSize(resources.size());
        for (int i = 0; i < resources.size(); i++) {
            String type = resources.get(i)[1];
            JsonNode returned = entries.get(i).get("resource");
            String id = returned.get("id").asText();
            String alone = createAs("rio-hv", type, resources.get(i)[2]);
            long pid = jdbc.sql("select pid from resource where res_type = ? and res_id = ?").params(type, id).query(Long.class).single();
            // The stored JSON is the one returned, byte for byte as jsonb keeps it.
            assertThat(jdbc.sql("select content = ?::jsonb and version_id = 1 and not deleted from resource where pid = ?")
                    .params(JSON.writeValueAsString(returned), pid).query(Boolean.class).single()).as(type).isTrue();
            // One history row, version 1 of the same content, time and method as a create on its own.
            assertThat(jdbc.sql("select h.version_id || '|' || h.method || '|' || h.deleted || '|' || (h.content = r.content)"
                            + " || '|' || (h.last_updated = r.last_updated) || '|' || h.res_type || '|' || h.res_id"
                            + " from resource_history h join resource r on r.pid = h.pid where h.pid = ?")
                    .param(pid).query(String.class).list()).as(type).containsExactly("1|POST|false|true|true|" + type + "|" + id);
            assertThat(history(type, alone)).as(type).isEqualTo("1|POST|false");
            for (String select : INDEX) {
                List<String> held = rows(select, type, id, id);
                List<String> expected = rows(select, type, alone, alone);
                assertThat(held).as("%s %s", type, select).containsExactlyInAnyOrderElementsOf(expected);
            }
        }
        // And the searches find them all.
        fhirAs("rio-hv").get("/Observation?subject=Patient/" + patient + "&date=2023-02-10").then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(4)); // two held, two created alone
    }

    @Test
    void aLaterEntrySeesTheCreatesOfEarlierOnes() {
        String sourceId = FhirFixtures.uniqueId("HS");
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"request": {"method": "GET", "url": "Patient?identifier=%s|%s"}},
                  {"fullUrl": "urn:uuid:%s", "resource": %s, "request": {"method": "POST", "url": "Patient"}}
                ]}""".formatted(SOURCE, sourceId, UUID.randomUUID(),
                FhirFixtures.patient(sourceId, null, "Seen", "Cai", "2022-07-08", "male", "NP4 6AB"));
        Response response = fhirAs("rio-hv").body(bundle).post("");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(response.jsonPath().getString("entry[1].response.status")).startsWith("201");
        // The GET runs after the POST (FHIR's order) and finds the Patient it created, held until then.
        assertThat(response.jsonPath().getInt("entry[0].resource.total")).isEqualTo(1);
        assertThat(response.jsonPath().getString("entry[0].resource.entry[0].resource.id"))
                .isEqualTo(response.jsonPath().getString("entry[1].resource.id"));
    }

    @Test
    void twoEntriesGivenOneIdFailTheTransactionAtTheSecond() {
        String sourceId = FhirFixtures.uniqueId("HD");
        String fullUrl = "urn:uuid:" + UUID.randomUUID();
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"fullUrl": "%s", "resource": %s, "request": {"method": "POST", "url": "Patient"}},
                  {"fullUrl": "%s", "resource": %s, "request": {"method": "POST", "url": "Patient"}}
                ]}""".formatted(fullUrl, FhirFixtures.patient(sourceId, null, "Twice", "Dai", "2022-01-02", "male", "CF10 1AA"),
                fullUrl, FhirFixtures.patient(sourceId + "B", null, "Twice", "Dai", "2022-01-02", "male", "CF10 1AA"));
        Response response = fhirAs("rio-hv").body(bundle).post("");
        // Refused by FHIR's rule that a resource appears in a transaction once, before the flush
        // (whose refusal of a create it did not insert HeldCreatesSeenTest checks at the store).
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        assertThat(response.asString()).contains("Transaction entries 0 (POST Patient) and 1 (POST Patient) both name Patient/")
                .contains("nothing in the transaction was written");
        assertThat(jdbc.sql("select count(*) from sp_token where res_type = 'Patient' and name = 'identifier' and code in (?, ?)")
                .params(sourceId, sourceId + "B").query(Long.class).single()).isZero();
    }

    /** Per child: a Consent, two Observations and a CarePlan for an existing Patient (no person-index writes). Type, JSON. */
    private static List<String[]> resources(String patient, int children) {
        List<String[]> out = new ArrayList<>();
        String ref = "Patient/" + patient;
        for (int c = 0; c < children; c++) {
            out.add(new String[] {"urn:uuid:" + UUID.randomUUID(), "Consent", FhirFixtures.consent(patient, "active", "permit",
                    "2025-01-15", "2035-01-15", List.of("GP", "HV"))});
            out.add(new String[] {"urn:uuid:" + UUID.randomUUID(), "Observation", FhirFixtures.observation(ref, "27113001",
                    "2023-02-10T10:30:00Z", 12.5)});
            out.add(new String[] {"urn:uuid:" + UUID.randomUUID(), "Observation", FhirFixtures.observation(ref, "27113001",
                    "2023-03-10", 13.1)});
            out.add(new String[] {"urn:uuid:" + UUID.randomUUID(), "CarePlan", """
                    {"resourceType":"CarePlan","status":"active","intent":"plan",\
                    "category":[{"coding":[{"system":"https://fhir.childrens-gateway.uk/CodeSystem/bench-careplan-category","code":"healthy-child"}]}],\
                    "subject":{"reference":"%s"},"period":{"start":"2022-06-14"}}""".formatted(ref)});
        }
        return out;
    }

    private static String transaction(List<String[]> entries) {
        StringBuilder b = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int i = 0; i < entries.size(); i++) {
            String[] e = entries.get(i);
            b.append(i == 0 ? "" : ",").append("{\"fullUrl\":\"").append(e[0]).append("\",\"resource\":").append(e[2])
                    .append(",\"request\":{\"method\":\"POST\",\"url\":\"").append(e[1]).append("\"}}");
        }
        return b.append("]}").toString();
    }

    /** The statements executed by one transaction request, by SQL text (its audit record's included: stored before the response). */
    private Map<String, Long> statementsOf(List<String[]> resources) {
        CountingDataSource.reset();
        Response response = fhirAs("rio-hv").body(transaction(resources)).post("");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return CountingDataSource.snapshot();
    }

    private static long count(Map<String, Long> statements, String prefix) {
        return statements.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
    }

    private String history(String type, String id) {
        return jdbc.sql("select version_id || '|' || method || '|' || deleted from resource_history where res_type = ? and res_id = ?")
                .params(type, id).query(String.class).single();
    }

    /** The resource's index rows, its own id written as "<self>". */
    private List<String> rows(String select, String type, String id, String self) {
        return jdbc.sql(select + " where pid = (select pid from resource where res_type = ? and res_id = ?)")
                .params(type, id).query(String.class).list().stream().map(r -> r.replace(self, "<self>")).toList();
    }
}
