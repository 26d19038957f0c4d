package org.childrensgateway.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;

/**
 * Systems pull the others' data in their own format: only what changed, never their own data
 * back, and only what consent lets them see.
 */
class ExportTest extends GatewayTestBase {

    private static final String RIO_CLIENT = "ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,"
            + "GenderCode,AddressLine1,AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated\n"
            + "RIO-EXP-1,,,Export,Rhys,,01/01/2024,1,,,,,NP4 6AB,,,,01/11/2026 10:00:00\n";
    private static final String RIO_ITEMS = "ClientID,AssessmentID,AssessmentDate,Team,ClinicianCode,ItemCode,Value,Unit,Sensitive\n"
            + "RIO-EXP-1,A-EXP-1,10/10/2026 10:30,HV-NORTH,HV017,WT,11.1,kg,N\n"
            + "RIO-EXP-1,A-EXP-2,10/10/2026 10:30,CAMHS-EAST,MH004,MHACTIVE,Y,,Y\n";

    private static String extract(String patientId, String weight, String consentStatus) {
        return """
                <SystmOneExtract xmlns="urn:example:systmone-extract:1" organisation="M85001" generated="2026-11-01T02:00:00Z">
                  <Patient id="%1$s">
                    <Name><Forenames>Test</Forenames><Surname>Export</Surname></Name>
                    <DateOfBirth>2024-03-03</DateOfBirth><Sex>F</Sex>
                    <Carers><Carer id="%1$s-C" relationship="MTH" parentalResponsibility="true">
                      <Name><Forenames>Mam</Forenames><Surname>Export</Surname></Name></Carer></Carers>
                    <Events><Event id="%1$s-E" date="2026-10-10T10:30:00Z" author="HV Jane Price">
                      <Code scheme="SNOMED" value="27113001" display="Body weight"/><Value numeric="%2$s" unit="kg"/></Event></Events>
                    <ConsentRecords><Consent id="%1$s-K" date="2026-10-01" type="SHARE-ALL-EARLY-YEARS" status="%3$s"
                      givenBy="%1$s-C" expires="2027-10-01" recordedBy="HV Jane Price"/></ConsentRecords>
                  </Patient>
                </SystmOneExtract>
                """.formatted(patientId, weight, consentStatus);
    }

    @Test
    void rioPullsConsentedSystmOneEventsInItsOwnCodesAndNothingElse() {
        String gp = tokenFor("systmone-gp");
        String hv = tokenFor("rio-hv");
        // RiO's own client and items, one of them sensitive; unique ids keep other tests' data apart.
        RestAssured.given().header("Authorization", "Bearer " + hv).contentType("text/csv").body(RIO_CLIENT)
                .post("/ingest/rio/clients").then().statusCode(200).body("quarantined", org.hamcrest.Matchers.equalTo(0));
        RestAssured.given().header("Authorization", "Bearer " + hv).contentType("text/csv").body(RIO_ITEMS)
                .post("/ingest/rio/assessments").then().statusCode(200).body("quarantined", org.hamcrest.Matchers.equalTo(0));
        RestAssured.given().header("Authorization", "Bearer " + gp).contentType("application/xml")
                .body(extract("S1-EXP-1", "13.3", "granted")).post("/ingest/systmone/extract").then().statusCode(200);
        RestAssured.given().header("Authorization", "Bearer " + gp).contentType("application/xml")
                .body(extract("S1-EXP-2", "14.4", "refused")).post("/ingest/systmone/extract").then().statusCode(200);

        Response rio = RestAssured.given().header("Authorization", "Bearer " + hv).get("/export/rio/assessments");
        rio.then().statusCode(200).contentType("text/csv");
        String csv = rio.asString();
        assertThat(csv).startsWith("ClientID,AssessmentID");
        assertThat(csv).contains("WT,13.3");       // consented: SystmOne's weight, in RiO's own item code
        assertThat(csv).doesNotContain("14.4");    // refused: not sent
        assertThat(csv).doesNotContain("A-EXP-1");  // RiO's own assessments are not echoed back

        // The GP system never receives RiO's mental-health item: no consent names GP, and it is sensitive.
        Response s1 = RestAssured.given().header("Authorization", "Bearer " + gp).get("/export/systmone/extract");
        s1.then().statusCode(200);
        assertThat(s1.asString()).contains("SystmOneExtract").doesNotContain("A-EXP-2").doesNotContain("A-EXP-1");

        // The next pull, from where this one ended, has nothing new.
        String until = rio.header("X-Export-Until");
        Response again = RestAssured.given().header("Authorization", "Bearer " + hv).queryParam("since", until).get("/export/rio/assessments");
        again.then().statusCode(200);
        assertThat(again.header("X-Export-Records")).isEqualTo("0");
    }

    @Test
    void whatTheGpReceivesInItsOwnFormatReadsBackCleanly() {
        // The GP holds the child; the centre registers the same child (same NHS number) with consent to share
        // with health visiting and the GP.
        String ref = "C-RT" + System.nanoTime();
        String nhs = org.childrensgateway.fhir.FhirFixtures.nhsNumber();
        String s1 = "S1-RT" + System.nanoTime();
        asFeed("systmone").contentType("application/xml").body(extract(s1, "10.1", "granted")
                        .replace("<Name>", "<NHSNumber verified=\"true\">" + nhs + "</NHSNumber><Name>")
                        .replace("<Surname>Export</Surname></Name>", "<Surname>Roundtrip</Surname></Name>")
                        .replace("<DateOfBirth>2024-03-03</DateOfBirth><Sex>F</Sex>", "<DateOfBirth>2024-05-14</DateOfBirth><Sex>M</Sex>"))
                .post("/ingest/systmone/extract").then().statusCode(200);
        String registration = "CentreCode,FamilyRef,ChildRef,ChildForename,ChildSurname,ChildDOB,ChildGender,ChildNHSNumber,Carer1Forename,"
                + "Carer1Surname,Carer1Relationship,Carer1Phone,Carer1Email,AddressLine1,AddressLine2,Town,Postcode,RegistrationDate,"
                + "ConsentShareHealth,ConsentShareScope,ConsentDate,ConsentReviewDue,ConsentWithdrawnDate\n"
                + "CC-TORFAEN-01,F-RT1,%s,Rhys,Roundtrip,14/05/2024,Male,%s,Nia,Roundtrip,Mother,07700900999,,1 Ffordd,,Pontypool,NP4 6AB,"
                .formatted(ref, nhs) + "01/06/2026,Y,HV;GP,01/06/2026,01/06/2027,\n";
        asFeed("childrens-centre").contentType("text/csv").body(registration).post("/ingest/childrens-centre/registrations")
                .then().statusCode(200).body("quarantined", org.hamcrest.Matchers.equalTo(0));
        Response exported = asFeed("systmone").get("/export/systmone/extract");
        exported.then().statusCode(200);
        String xml = exported.asString();
        assertThat(xml).contains("id=\"" + s1 + "\"").contains("SHARE-GP");
        // Read back by the GP's own format's reader (a dry run stores nothing): nothing the gateway wrote is unreadable.
        io.restassured.path.json.JsonPath preview = asFeed("systmone").contentType("application/xml").body(xml)
                .post("/ingest/systmone/extract?dryRun=true").then().statusCode(200).extract().jsonPath();
        assertThat(preview.getInt("wouldQuarantine")).as(preview.prettify()).isZero();
        assertThat(preview.getInt("records")).isPositive();
    }

    @Test
    void unknownOutboundFileAndBadSinceAreClearErrors() {
        asFeed("rio").get("/export/rio/clients").then().statusCode(400);
        asFeed("rio").queryParam("since", "yesterday").get("/export/rio/assessments").then().statusCode(400)
                .body("issue[0].diagnostics", org.hamcrest.Matchers.containsString("since"));
    }
}
