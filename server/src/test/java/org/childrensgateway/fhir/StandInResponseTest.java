package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.audit.StoredAudit;
import org.childrensgateway.operations.RequestIdFilter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Resources the gate releases whole are not parsed for an HTTP response: they travel as stand-ins
 * ({@link StoredStandIn}) that {@link StoredJsonResponse} writes from their stored JSON. So nothing
 * may ever encode a stand-in: every answer HAPI encodes itself (XML, {@code _elements},
 * {@code _summary}, a transaction's nested searchset) holds the whole resources, and the audit
 * record names the children of what a stand-in stood for, as it does for a parsed resource.
 */
class StandInResponseTest extends GatewayTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private JdbcClient jdbc;

    @Test
    void whateverHapiEncodesHoldsTheWholeResources() throws Exception {
        String child = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("SI"), FhirFixtures.nhsNumber(),
                "Standin", "Whole", "2024-05-05", "female", "NP4 6AB"));
        String a = createAs("systmone-gp", "Observation", FhirFixtures.observation("Patient/" + child, "27113001", "2026-10-10T10:30:00Z", 12.35));
        createAs("systmone-gp", "Consent", FhirFixtures.consent(child, "active", "permit", "2026-01-01",
                LocalDate.now().plusYears(1).toString(), List.of("EY", "HV")));
        // rio-hv is another organisation: every resource is decided by consent, released whole.
        for (String path : List.of("/Observation/" + a, "/Observation?_id=" + a, "/Observation?subject=Patient/" + child,
                "/Patient/" + child + "/$everything", "/Observation?_id=" + a + "&_include=Observation:subject")) {
            String fast = fhirAs("rio-hv").get(path).then().statusCode(200).extract().asString();
            assertThat(fast).as(path).contains("12.35").contains("Patient/" + child);
            String xml = fhirAs("rio-hv").queryParam("_format", "xml").get(path).then().statusCode(200).extract().asString();
            assertThat(xml).as("XML " + path).contains("<value value=\"12.35\"/>").contains("<reference value=\"Patient/" + child + "\"/>");
            String elements = fhirAs("rio-hv").queryParam("_elements", "subject").get(path).then().statusCode(200).extract().asString();
            assertThat(elements).as("_elements " + path).contains("Patient/" + child);
            String summary = fhirAs("rio-hv").queryParam("_summary", "true").get(path).then().statusCode(200).extract().asString();
            assertThat(summary).as("_summary " + path).contains("Patient/" + child).contains("27113001");
        }
        // A transaction's GET of a search: its searchset is encoded by HAPI inside the response Bundle.
        String transaction = """
                {"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"GET","url":"Observation?_id=%s"}}]}"""
                .formatted(a);
        String answered = fhirAs("rio-hv").contentType(FHIR_JSON).body(transaction).post("/").then().statusCode(200).extract().asString();
        assertThat(answered).contains("12.35").contains("Patient/" + child).contains("27113001");
    }

    @Test
    void theAuditNamesTheChildrenOfWhatStandInsStoodFor() throws Exception {
        String child = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("SI"), FhirFixtures.nhsNumber(),
                "Standin", "Audited", "2024-05-05", "male", "NP4 6AB"));
        String a = createAs("systmone-gp", "Observation", FhirFixtures.observation("Patient/" + child, "27113001", "2026-10-11T10:30:00Z", 10.15));
        createAs("systmone-gp", "Consent", FhirFixtures.consent(child, "active", "permit", "2026-01-01",
                LocalDate.now().plusYears(1).toString(), List.of("EY", "HV")));
        // The query names no child: only the returned Observation says whom it is about.
        for (String path : List.of("/Observation?_id=" + a, "/Observation/" + a)) {
            Response fast = fhirAs("rio-hv").get(path);
            fast.then().statusCode(200);
            String audit = StoredAudit.ofRequest(jdbc, fast.header(RequestIdFilter.HEADER));
            assertThat(audit).as(path).contains("Patient/" + child).contains("Observation/" + a);
            Response encoded = fhirAs("rio-hv").queryParam("_pretty", "true").get(path);
            assertThat(patientsNamed(StoredAudit.ofRequest(jdbc, encoded.header(RequestIdFilter.HEADER))))
                    .as("the same children as when the resource is parsed: " + path).isEqualTo(patientsNamed(audit));
        }
    }

    private static List<String> patientsNamed(String auditEvent) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode entity : JSON.readTree(auditEvent).path("entity")) {
            String what = entity.path("what").path("reference").asText();
            if (what.startsWith("Patient/")) {
                out.add(what);
            }
        }
        return out;
    }

}
