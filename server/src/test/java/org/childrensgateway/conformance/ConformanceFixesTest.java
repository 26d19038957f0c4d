package org.childrensgateway.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What the emitted-conformance check found in the gateway's output, each fixed and pinned here. */
class ConformanceFixesTest extends GatewayTestBase {

    @Autowired
    JdbcClient jdbc;

    private String child() {
        return createAs(TEST_CLIENT, "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("CF"), FhirFixtures.nhsNumber(), "Conform",
                "Ance", "2024-03-03", "male", "NP4 6AB"));
    }

    @Test
    void aRefusedWriteNamesItsErrorFirstNotAWarningBesideIt() {
        // A body height coded in SNOMED only must also carry LOINC 8302-2 (R4 vital signs). The refusal used to lead
        // with a warning (an unknown gateway code system), which a transaction then quoted as the reason.
        String height = """
                {"resourceType":"Observation","status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
                 "code":{"coding":[{"system":"http://snomed.info/sct","code":"50373000"}]},
                 "subject":{"reference":"Patient/%s"},"effectiveDateTime":"2025-01-10T10:30:00Z",
                 "valueQuantity":{"value":80.5,"unit":"cm","system":"http://unitsofmeasure.org","code":"cm"}}""".formatted(child());
        JsonPath single = fhir().body(height).post("/Observation").then().statusCode(422).extract().jsonPath();
        assertThat(single.getString("issue[0].severity")).isEqualTo("error");
        assertThat(single.getString("issue[0].diagnostics")).contains("8302-2");
        String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":" + height
                + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        JsonPath failed = fhir().body(transaction).post("").then().statusCode(422).extract().jsonPath();
        assertThat(failed.getString("issue[0].diagnostics")).contains("entry 0").contains("8302-2");
    }

    @Test
    void everyHistoryEntryNamesTheInteractionThatMadeIt() {
        String obs = createAs(TEST_CLIENT, "Observation", FhirFixtures.observation("Patient/" + child(), "27113001",
                "2025-01-10T10:30:00Z", 9.9));
        String current = fhir().get("/Observation/" + obs).then().statusCode(200).extract().asString();
        fhir().body(current.replace("9.9", "10.1")).put("/Observation/" + obs).then().statusCode(200);
        JsonPath history = fhir().get("/Observation/" + obs + "/_history").then().statusCode(200).extract().jsonPath();
        // bdl-3: the current version used to come without entry.request (it was read from the current row)
        assertThat(history.getList("entry.request.method")).containsExactly("PUT", "POST");
        assertThat(history.getList("entry.request.url", String.class)).allSatisfy(u -> assertThat(u).startsWith("Observation/" + obs));
    }

    @Test
    void aBatchSearchAnswersWithASearchsetWhoseEntriesHaveAbsoluteFullUrls() {
        String id = child();
        JsonPath r = fhir().body("""
                {"resourceType": "Bundle", "type": "batch", "entry": [{"request": {"method": "GET", "url": "Patient?_id=%s"}}]}"""
                .formatted(id)).post("").then().statusCode(200).extract().jsonPath();
        assertThat(r.getString("entry[0].resource.type")).isEqualTo("searchset");
        assertThat(r.getString("entry[0].resource.entry[0].fullUrl")).isEqualTo(baseUrl() + "/Patient/" + id);
        assertThat(r.getString("entry[0].resource.entry[0].search.mode")).isEqualTo("match");
    }

    @Test
    void anAuditorsExplanationEntryHasAFullUrl() {
        String id = child();
        JsonPath r = fhirAs("ig-auditor").get("/Patient?_id=" + id + "&_explain=true&_explainFor=RX9|health-visitor|TREAT")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> outcomes = r.getList("entry.findAll { it.search.mode == 'outcome' }");
        assertThat(outcomes).isNotEmpty().allSatisfy(e -> assertThat((String) e.get("fullUrl")).startsWith("urn:uuid:"));
    }

    @Test
    void anAuditorsPurposeIsRecordedAsAV3PurposeOfUseWithTheGatewaysCodeBeside() {
        String request = fhirAs("ig-auditor").get("/AuditEvent?_count=1").then().statusCode(200).extract().header("X-Request-ID");
        String event = jdbc.sql("select content::text from resource where res_type = 'AuditEvent' and content::text like ?")
                .param("%" + request + "%").query(String.class).single();
        JsonPath audit = JsonPath.from(event);
        assertThat(audit.getList("purposeOfEvent[0].coding.code")).containsExactly("HCOMPL", "AUDIT");
        assertThat(audit.getList("purposeOfEvent[0].coding.system")).containsExactly(
                "http://terminology.hl7.org/CodeSystem/v3-ActReason", "https://fhir.childrens-gateway.uk/CodeSystem/purpose-of-use");
        assertThat(EmittedConformance.get().checkNow("auditor's AuditEvent", event)).isEmpty();
        // still found by the gateway's own code
        assertThat(fhirAs("ig-auditor").get("/AuditEvent?purpose=AUDIT&_count=1").then().statusCode(200).extract().jsonPath()
                .getInt("total")).isPositive();
        fhir().get("/CodeSystem/purpose-of-use").then().statusCode(200);
    }
}
