package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.audit.StoredAudit;
import org.childrensgateway.operations.RequestIdFilter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A read or vread of a resource the gate releases whole is answered with the stored version's JSON
 * (every member and value as stored, compact, resourceType first); it is the same resource, with the
 * same meta and headers, as the encoded answer (asked for here with _pretty=true, which takes the
 * encoding path). Whatever the gate reduces is still encoded from the reduced copy, what it hides
 * still answers as missing, and every such read is audited.
 */
class StoredJsonReadTest extends GatewayTestBase {

    private static final ObjectMapper JSON = StoredJsonLayout.JSON;
    private static final List<String> HEADERS = List.of("ETag", "Last-Modified", "Content-Location", "Content-Type");

    @Autowired
    private JdbcClient jdbc;

    @Test
    void aResourceReleasedWholeIsItsStoredVersionByteForByte() throws Exception {
        String child = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("SJ"), FhirFixtures.nhsNumber(),
                "Stored", "Json", "2024-04-04", "female", "NP4 6AB"));
        String obs = createAs("systmone-gp", "Observation", FhirFixtures.observation("Patient/" + child, "27113001", "2026-10-10T10:30:00Z", 11.2));
        createAs("systmone-gp", "Consent", FhirFixtures.consent(child, "active", "permit", "2026-01-01",
                LocalDate.now().plusYears(1).toString(), List.of("EY", "GP")));
        String second = FhirFixtures.observation("Patient/" + child, "27113001", "2026-10-11T10:30:00Z", 11.4)
                .replace("{\"resourceType\": \"Observation\",", "{\"resourceType\": \"Observation\", \"id\": \"" + obs + "\",");
        fhirAs("systmone-gp").body(second).put("/Observation/" + obs).then().statusCode(200);

        for (String caller : List.of("rio-hv", "systmone-gp")) { // another organisation by consent; the recorder itself
            assertServedAsStored(caller, "/Observation/" + obs, stored("Observation", obs, 2), "2");
            assertServedAsStored(caller, "/Observation/" + obs + "/_history/1", stored("Observation", obs, 1), "1");
            assertServedAsStored(caller, "/Observation/" + obs + "/_history/2", stored("Observation", obs, 2), "2");
        }
    }

    @Test
    void aReducedResourceIsEncodedFromTheReducedCopy() throws Exception {
        // The live-birth agreement releases a health-visiting record's name, birth date and address only.
        String child = createAs("rio-hv", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("SJ"), FhirFixtures.nhsNumber(),
                "Reduced", "Json", LocalDate.now().minusDays(20).toString(), "female", "NP4 6AB"));
        Response reduced = fhirAs("estart-centre").get("/Patient/" + child);
        reduced.then().statusCode(200);
        assertThat(reduced.jsonPath().getList("identifier")).as("NHS number withheld").isNullOrEmpty();
        assertThat(reduced.jsonPath().getList("meta.security.code")).contains("REDACTED");
        assertThat(JSON.readTree(reduced.asString())).isNotEqualTo(JSON.readTree(stored("Patient", child, 1)));
    }

    @Test
    void aHiddenResourceAnswersExactlyAsAMissingOne() {
        String child = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("SJ"), FhirFixtures.nhsNumber(),
                "Hidden", "Json", "2024-04-04", "female", "NP4 6AB"));
        String obs = createAs("systmone-gp", "Observation", FhirFixtures.observation("Patient/" + child, "27113001", "2026-10-10T10:30:00Z", 9.2));
        for (String path : List.of("", "/_history/1")) {
            Response hidden = fhirAs("rio-hv").get("/Observation/" + obs + path);
            Response missing = fhirAs("rio-hv").get("/Observation/no-such-" + obs + path);
            assertThat(hidden.statusCode()).isEqualTo(404);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(hidden.asString().replace(obs, "ID")).isEqualTo(missing.asString().replace("no-such-" + obs, "ID"));
            assertThat(hidden.contentType()).isEqualTo(missing.contentType());
        }
    }

    private void assertServedAsStored(String caller, String path, String stored, String version) throws Exception {
        Response fast = fhirAs(caller).get(path);
        Response encoded = fhirAs(caller).queryParam("_pretty", "true").get(path);
        assertThat(fast.statusCode()).as(path).isEqualTo(200);
        assertThat(encoded.statusCode()).as(path).isEqualTo(200);
        assertThat(fast.asString()).as("the stored version's JSON, resourceType first: " + path).isEqualTo(StoredJsonLayout.laidOut(stored));
        JsonNode served = JSON.readTree(fast.asString());
        assertThat(served).as("every member as stored").isEqualTo(JSON.readTree(stored));
        assertThat(served).as("the same resource as encoded").isEqualTo(JSON.readTree(encoded.asString()));
        assertThat(served.path("meta").path("versionId").asText()).isEqualTo(version);
        for (String header : HEADERS) {
            assertThat(fast.header(header)).as(header + " of " + path).isNotNull().isEqualTo(encoded.header(header));
        }
        assertThat(fast.header("ETag")).isEqualTo("W/\"" + version + "\"");
        String audit = StoredAudit.ofRequest(jdbc, fast.header(RequestIdFilter.HEADER));
        String[] parts = path.split("/");
        assertThat(audit).as("the read is audited").contains(parts[1] + "/" + parts[2]).contains(path.contains("_history") ? "vread" : "read");
    }


    private String stored(String type, String id, long version) {
        return jdbc.sql("select content::text from resource_history where res_type = ? and res_id = ? and version_id = ?")
                .params(type, id, version).query(String.class).single();
    }

}
