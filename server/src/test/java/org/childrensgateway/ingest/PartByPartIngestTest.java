package org.childrensgateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;

/**
 * A source record's parts are independent: an event with an unmapped code is quarantined by itself,
 * never the patient's identity, consents or other events, so a withdrawal sent with it is applied.
 */
class PartByPartIngestTest extends GatewayTestBase {

    private static final String S1 = "https://fhir.childrens-gateway.uk/Id/systmone/M85001/patient";

    private static String extract(String id, String consentStatus, String extraEvent) {
        return """
                <SystmOneExtract xmlns="urn:example:systmone-extract:1" organisation="M85001" generated="2026-11-01T02:00:00Z">
                  <Patient id="%1$s">
                    <Name><Forenames>Part</Forenames><Surname>Bypart</Surname></Name>
                    <DateOfBirth>2024-03-03</DateOfBirth><Sex>F</Sex>
                    <Events><Event id="%1$s-W" date="2026-10-10T10:30:00Z">
                      <Code scheme="SNOMED" value="27113001" display="Body weight"/><Value numeric="12.5" unit="kg"/></Event>
                      %2$s</Events>
                    <ConsentRecords><Consent id="%1$s-K" date="2026-10-01" type="SHARE-ALL-EARLY-YEARS" status="%3$s"
                      expires="2027-10-01"/></ConsentRecords>
                  </Patient>
                </SystmOneExtract>
                """.formatted(id, extraEvent, consentStatus);
    }

    private static final String UNMAPPED = """
            <Event id="%s-X" date="2026-10-11T10:30:00Z"><Code scheme="LOCAL" value="Y9NOTMAPPED" display="Something local"/>
              <Value numeric="3" unit="score"/></Event>""";

    @Test
    void anUnmappedEventNeverHoldsBackTheWithdrawalSentWithIt() {
        String id = "S1-PART-" + System.nanoTime();
        asFeed("systmone").contentType("application/xml").body(extract(id, "granted", "")).post("/ingest/systmone/extract")
                .then().statusCode(200).body("quarantined", org.hamcrest.Matchers.equalTo(0));
        String patient = asClient("systmone-gp").basePath("/fhir").accept("application/fhir+json")
                .get("/Patient?identifier=" + S1 + "|" + id + "&_tag:not=https://fhir.childrens-gateway.uk/CodeSystem/record-kind|child-record")
                .then().statusCode(200).extract().jsonPath().getString("entry[0].resource.id");
        // The early-years grant lets the health visitor see the GP's weight.
        assertThat(weights(patient)).isEqualTo(1);

        // The withdrawal arrives with an event whose local code has no translation.
        JsonPath report = asFeed("systmone").contentType("application/xml").body(extract(id, "withdrawn", UNMAPPED.formatted(id)))
                .post("/ingest/systmone/extract").then().statusCode(200).extract().jsonPath();
        assertThat(report.getInt("quarantined")).as("the event alone").isEqualTo(1);
        List<String> locations = report.getList("quarantinedRecords.location");
        assertThat(locations).singleElement().asString().endsWith("Event[@id='" + id + "-X']");
        assertThat(report.getString("quarantinedRecords[0].reason")).contains("Y9NOTMAPPED");
        assertThat(weights(patient)).as("the withdrawal was applied").isZero();
        // The GP still holds the patient and the mapped event.
        assertThat(asClient("systmone-gp").basePath("/fhir").accept("application/fhir+json").get("/Observation?subject=Patient/" + patient)
                .then().statusCode(200).extract().jsonPath().getInt("total")).isEqualTo(1);
    }

    @Test
    void eachBadPartIsItsOwnEntryOnceWhateverIsResent() {
        String id = "S1-TWO-" + System.nanoTime();
        String two = UNMAPPED.formatted(id) + UNMAPPED.formatted(id).replace(id + "-X", id + "-Y").replace("Y9NOTMAPPED", "Y9OTHER");
        String body = extract(id, "granted", two);
        JsonPath first = asFeed("systmone").contentType("application/xml").body(body).post("/ingest/systmone/extract")
                .then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("quarantinedRecords.location", String.class)).hasSize(2)
                .anyMatch(l -> l.endsWith("Event[@id='" + id + "-X']")).anyMatch(l -> l.endsWith("Event[@id='" + id + "-Y']"));
        asFeed("systmone").contentType("application/xml").body(body).post("/ingest/systmone/extract").then().statusCode(200);
        List<?> open = asFeed("systmone").get("/ingest/quarantine?feed=systmone&status=open&limit=1000").then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.sourceId == '" + id + "' }");
        assertThat(open).as("one open entry per bad part, not one per send").hasSize(2);
    }

    @Test
    void everyAsqDomainAndAsqSeFromSystmOneIsMapped() {
        String id = "S1-ASQ-" + System.nanoTime();
        StringBuilder events = new StringBuilder();
        for (String code : List.of("Y0ASQ1", "Y0ASQ2", "Y0ASQ3", "Y0ASQ4", "Y0ASQ5", "Y0ASQSE")) {
            events.append("<Event id=\"").append(id).append('-').append(code).append("\" date=\"2026-10-12T10:30:00Z\">")
                    .append("<Code scheme=\"LOCAL\" value=\"").append(code).append("\" display=\"ASQ\"/><Value numeric=\"40\" unit=\"score\"/></Event>");
        }
        asFeed("systmone").contentType("application/xml").body(extract(id, "granted", events.toString())).post("/ingest/systmone/extract")
                .then().statusCode(200).body("quarantined", org.hamcrest.Matchers.equalTo(0));
    }

    private int weights(String gpPatient) {
        return RestAssured.given().basePath("/fhir").accept("application/fhir+json").header("Authorization", "Bearer " + tokenFor("rio-hv"))
                .get("/Observation?subject=Patient/" + gpPatient).then().statusCode(200).extract().jsonPath().getInt("total");
    }
}
