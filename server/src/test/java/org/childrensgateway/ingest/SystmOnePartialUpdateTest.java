package org.childrensgateway.ingest;

import static org.hamcrest.Matchers.equalTo;

import io.restassured.RestAssured;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;

/** In a SystmOne extract, elements that are absent leave what is stored unchanged. */
class SystmOnePartialUpdateTest extends GatewayTestBase {

    private static final String S1 = "https://fhir.childrens-gateway.uk/Id/systmone/M85001/patient";

    private static String extract(String patientBody) {
        return """
                <SystmOneExtract xmlns="urn:example:systmone-extract:1" organisation="M85001" generated="2026-11-01T02:00:00Z">
                  <Patient id="S1-PARTIAL-1">%s</Patient>
                </SystmOneExtract>
                """.formatted(patientBody);
    }

    @Test
    void anIdentityOnlyUpdateForAnUnknownPatientIsQuarantinedWithAClearReason() {
        String eventsOnly = """
                <Events><Event id="E-P9" date="2025-03-10T10:30:00Z" author="HV Jane Price">
                  <Code scheme="SNOMED" value="27113001" display="Body weight"/><Value numeric="10.2" unit="kg"/>
                </Event></Events>
                """;
        asFeed("systmone").contentType("application/xml").body(extract(eventsOnly).replace("S1-PARTIAL-1", "S1-UNKNOWN-9"))
                .post("/ingest/systmone/extract").then().statusCode(200).body("quarantined", equalTo(1))
                .body("quarantinedRecords[0].reason", org.hamcrest.Matchers.containsString("does not hold yet"));
    }

    @Test
    void anUpdateWithOnlyIdentityAndEventsKeepsTheStoredDemographics() {
        String full = """
                <Name><Forenames>Gethin</Forenames><Surname>Morgan</Surname></Name>
                <DateOfBirth>2024-02-02</DateOfBirth><Sex>M</Sex>
                <Address><Line>3 Heol Newydd</Line><Postcode>NP4 6AB</Postcode></Address>
                """;
        asFeed("systmone").contentType("application/xml").body(extract(full)).post("/ingest/systmone/extract").then()
                .statusCode(200).body("quarantined", equalTo(0));

        String eventsOnly = """
                <Events><Event id="E-P1" date="2025-03-10T10:30:00Z" author="HV Jane Price">
                  <Code scheme="SNOMED" value="27113001" display="Body weight"/><Value numeric="10.2" unit="kg"/>
                </Event></Events>
                """;
        asFeed("systmone").contentType("application/xml").body(extract(eventsOnly)).post("/ingest/systmone/extract").then()
                .statusCode(200).body("quarantined", equalTo(0));

        String sexOnly = "<Sex>M</Sex><Address><Line>9 Stryd Newydd</Line><Postcode>NP4 9ZZ</Postcode></Address>";
        asFeed("systmone").contentType("application/xml").body(extract(sexOnly)).post("/ingest/systmone/extract").then()
                .statusCode(200).body("quarantined", equalTo(0));

        fhir().header("Authorization", "Bearer " + tokenFor("systmone-gp")).get("/Patient?identifier=" + S1 + "|S1-PARTIAL-1&_tag:not=https://fhir.childrens-gateway.uk/CodeSystem/record-kind|").then().body("total", equalTo(1))
                .body("entry[0].resource.name[0].family", equalTo("Morgan"))
                .body("entry[0].resource.birthDate", equalTo("2024-02-02"))
                .body("entry[0].resource.address[0].postalCode", equalTo("NP4 9ZZ"));
        fhir().header("Authorization", "Bearer " + tokenFor("systmone-gp")).get("/Observation?patient.identifier=" + S1 + "|S1-PARTIAL-1").then().body("total", equalTo(1));
    }
}
