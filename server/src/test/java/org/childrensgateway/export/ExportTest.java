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

    /** The GP's record of Cai (born 14/05/2024, male) with an NHS number, consent to share, and {@code more} after the consents. */
    private static String gpChild(String s1, String nhs, String surname, String more) {
        return extract(s1, "10.1", "granted")
                .replace("<Name>", "<NHSNumber verified=\"true\">" + nhs + "</NHSNumber><Name>")
                .replace("<Forenames>Test</Forenames><Surname>Export</Surname></Name>", "<Forenames>Cai</Forenames><Surname>" + surname + "</Surname></Name>")
                .replace("<DateOfBirth>2024-03-03</DateOfBirth><Sex>F</Sex>", "<DateOfBirth>2024-05-14</DateOfBirth><Sex>M</Sex>")
                .replace("</ConsentRecords>", "</ConsentRecords>" + more);
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
        // The GP's child is known to RiO too (same NHS number), so RiO can be sent its data under its own ClientID.
        String nhs = org.childrensgateway.fhir.FhirFixtures.nhsNumber();
        rioKnows("RIO-EXP-9", nhs, "Export", "Test", "03/03/2024");
        RestAssured.given().header("Authorization", "Bearer " + gp).contentType("application/xml")
                .body(extract("S1-EXP-1", "13.3", "granted").replace("<Name>", "<NHSNumber verified=\"true\">" + nhs + "</NHSNumber><Name>"))
                .post("/ingest/systmone/extract").then().statusCode(200);
        RestAssured.given().header("Authorization", "Bearer " + gp).contentType("application/xml")
                .body(extract("S1-EXP-2", "14.4", "refused")).post("/ingest/systmone/extract").then().statusCode(200);

        Response rio = RestAssured.given().header("Authorization", "Bearer " + hv).get("/export/rio/assessments");
        rio.then().statusCode(200).contentType("text/csv");
        String csv = rio.asString();
        assertThat(csv).startsWith("ClientID,AssessmentID");
        assertThat(csv).contains("RIO-EXP-9,").contains("WT,13.3"); // consented: SystmOne's weight, in RiO's own id and item code
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

    private static final String REGISTRATION_HEADER = "CentreCode,FamilyRef,ChildRef,ChildForename,ChildSurname,ChildDOB,ChildGender,"
            + "ChildNHSNumber,Carer1Forename,Carer1Surname,Carer1Relationship,Carer1Phone,Carer1Email,AddressLine1,AddressLine2,Town,"
            + "Postcode,RegistrationDate,ConsentShareHealth,ConsentShareScope,ConsentDate,ConsentReviewDue,ConsentWithdrawnDate\n";

    /** A centre child with consent to share with health visiting, an EYFS check and a session attended. */
    private void centreChildWithItems(String ref, String nhs, String surname) {
        centreChildWithItems(ref, nhs, surname, "HV");
    }

    private void centreChildWithItems(String ref, String nhs, String surname, String scope) {
        asFeed("childrens-centre").contentType("text/csv").body(REGISTRATION_HEADER
                        + "CC-TORFAEN-01,F-%1$s,%1$s,Cai,%3$s,14/05/2024,Male,%2$s,Nia,%3$s,Mother,07700900999,,1 Ffordd,,Pontypool,NP4 6AB,".formatted(ref, nhs, surname)
                        + "01/06/2026,Y," + scope + ",01/06/2026,01/06/2027,\n")
                .post("/ingest/childrens-centre/registrations").then().statusCode(200).body("quarantined", org.hamcrest.Matchers.equalTo(0));
        asFeed("childrens-centre").contentType("text/csv").body("ChildRef,CheckDate,Practitioner,PrimeArea,Outcome,Notes\n"
                        + ref + ",20/05/2026,K. Morgan,CL,Expected,\"Talks in short sentences.\"\n")
                .post("/ingest/childrens-centre/progress-checks").then().statusCode(200).body("quarantined", org.hamcrest.Matchers.equalTo(0));
        asFeed("childrens-centre").contentType("text/csv").body("ChildRef,CentreCode,SessionDate,ActivityCode,ActivityName,Attended\n"
                        + ref + ",CC-TORFAEN-01,04/06/2026,STAYPLAY,Stay and play,Y\n")
                .post("/ingest/childrens-centre/attendance").then().statusCode(200).body("quarantined", org.hamcrest.Matchers.equalTo(0));
    }

    private void rioKnows(String clientId, String nhs, String surname) {
        rioKnows(clientId, nhs, surname, "Cai", "14/05/2024");
    }

    private void rioKnows(String clientId, String nhs, String surname, String forename, String birthDate) {
        asFeed("rio").contentType("text/csv").body(RIO_CLIENT.substring(0, RIO_CLIENT.indexOf('\n') + 1)
                        + clientId + "," + nhs + ",01," + surname + "," + forename + ",," + birthDate + ",,1 Ffordd,Pontypool,,,NP4 6AB,,,,01/11/2026 10:00:00\n")
                .post("/ingest/rio/clients").then().statusCode(200).body("quarantined", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void centreItemsConsentedToHealthVisitingReachRioInItsOwnItemCodesAndReadBackCleanly() {
        String ref = "C-RIO" + System.nanoTime();
        String client = "RIO-CC" + System.nanoTime();
        String nhs = org.childrensgateway.fhir.FhirFixtures.nhsNumber();
        rioKnows(client, nhs, "Centreitems");
        centreChildWithItems(ref, nhs, "Centreitems");

        String csv = asFeed("rio").get("/export/rio/assessments").then().statusCode(200).extract().asString();
        java.util.List<String> rows = csv.lines().filter(l -> l.startsWith(client + ",")).toList();
        assertThat(rows).as(csv).hasSize(2);
        assertThat(rows).anySatisfy(r -> assertThat(r).contains(",EYFS-CL,Expected,"));
        assertThat(rows).anySatisfy(r -> assertThat(r).contains(",CC-STAYPLAY,Y,"));
        // Free-text notes never cross from the centre (local authority) to health.
        assertThat(csv).doesNotContain("short sentences");

        // RiO's own reader takes back what the gateway wrote, with nothing quarantined.
        String header = csv.lines().findFirst().orElseThrow();
        io.restassured.path.json.JsonPath preview = asFeed("rio").contentType("text/csv").body(header + "\n" + String.join("\n", rows) + "\n")
                .post("/ingest/rio/assessments?dryRun=true").then().statusCode(200).extract().jsonPath();
        assertThat(preview.getInt("wouldQuarantine")).as(preview.prettify()).isZero();
        assertThat(preview.getInt("records")).isEqualTo(2);
    }

    @Test
    void centreItemsConsentedToTheGpReachSystmOneAsFindingCodesAndReadBackWithTheirValues() {
        String ref = "C-S1" + System.nanoTime();
        String s1 = "S1-CC" + System.nanoTime();
        String nhs = org.childrensgateway.fhir.FhirFixtures.nhsNumber();
        asFeed("systmone").contentType("application/xml").body(gpChild(s1, nhs, "Findings", "")).post("/ingest/systmone/extract").then().statusCode(200);
        centreChildWithItems(ref, nhs, "Findings", "GP");

        String xml = asFeed("systmone").get("/export/systmone/extract").then().statusCode(200).extract().asString();
        String patient = xml.substring(xml.indexOf("id=\"" + s1 + "\""));
        patient = patient.substring(0, patient.indexOf("</Patient>"));
        // SystmOne events carry numbers only: a centre finding is a code that says its value.
        assertThat(patient).contains("value=\"Y0EYCL2\"").contains("value=\"Y0CCSP1\"").doesNotContain("short sentences");

        io.restassured.path.json.JsonPath preview = asFeed("systmone").contentType("application/xml")
                .body("<SystmOneExtract xmlns=\"urn:example:systmone-extract:1\" organisation=\"M85001\" generated=\"2026-11-01T02:00:00Z\">"
                        + "<Patient " + patient + "</Patient></SystmOneExtract>")
                .post("/ingest/systmone/extract?dryRun=true").then().statusCode(200).extract().jsonPath();
        assertThat(preview.getInt("wouldQuarantine")).as(preview.prettify()).isZero();
    }

    @Test
    void careplansRioReceivesReadBackThroughRiosOwnReader() {
        String s1 = "S1-CP" + System.nanoTime();
        String client = "RIO-CP" + System.nanoTime();
        String nhs = org.childrensgateway.fhir.FhirFixtures.nhsNumber();
        rioKnows(client, nhs, "Cynllun", "Cai", "14/05/2024");
        asFeed("systmone").contentType("application/xml").body(gpChild(s1, nhs, "Cynllun", "<CarePlans><CarePlan id=\"" + s1 + "-P\" status=\"active\""
                        + " start=\"2026-10-01\" title=\"Healthy weight plan\"><Goal>Weight back on centile</Goal><Goal>Active play daily</Goal></CarePlan></CarePlans>"))
                .post("/ingest/systmone/extract").then().statusCode(200).body("quarantined", org.hamcrest.Matchers.equalTo(0));

        String csv = asFeed("rio").get("/export/rio/careplans").then().statusCode(200).extract().asString();
        java.util.List<String> rows = csv.lines().filter(l -> l.startsWith(client + ",")).toList();
        assertThat(rows).as(csv).hasSize(1);
        assertThat(rows.get(0)).contains("Healthy weight plan").contains("Active").contains("Weight back on centile;Active play daily");
        io.restassured.path.json.JsonPath preview = asFeed("rio").contentType("text/csv")
                .body(csv.lines().findFirst().orElseThrow() + "\n" + rows.get(0) + "\n")
                .post("/ingest/rio/careplans?dryRun=true").then().statusCode(200).extract().jsonPath();
        assertThat(preview.getInt("wouldQuarantine")).as(preview.prettify()).isZero();
        assertThat(preview.getInt("records")).isEqualTo(1);
    }

    @Test
    void aChildRioDoesNotKnowYetIsHeldNotSentWithABlankClientIdAndGoesOnceRioLinks() {
        String ref = "C-HELD" + System.nanoTime();
        String client = "RIO-HELD" + System.nanoTime();
        String nhs = org.childrensgateway.fhir.FhirFixtures.nhsNumber();
        Response first = asFeed("rio").get("/export/rio/assessments");
        String since = first.header("X-Export-Until");
        centreChildWithItems(ref, nhs, "Heldback");

        Response pull = asFeed("rio").queryParam("since", since).get("/export/rio/assessments");
        pull.then().statusCode(200);
        // Never a row RiO's reader would reject: every row names a RiO client.
        assertThat(pull.asString().lines().skip(1)).noneMatch(l -> l.startsWith(","));
        assertThat(pull.asString()).doesNotContain("EYFS-CL");
        assertThat(Integer.parseInt(pull.header("X-Export-Held"))).isPositive();
        String afterHeld = pull.header("X-Export-Until");

        // RiO registers the child (same NHS number): the person index links it, and the held items go out.
        rioKnows(client, nhs, "Heldback");
        Response released = asFeed("rio").queryParam("since", afterHeld).get("/export/rio/assessments");
        released.then().statusCode(200);
        assertThat(released.asString().lines().filter(l -> l.startsWith(client + ","))).hasSize(2);
        // A repeated pull (same since) repeats them; the next pull in the chain does not.
        assertThat(asFeed("rio").queryParam("since", afterHeld).get("/export/rio/assessments").asString()
                .lines().filter(l -> l.startsWith(client + ","))).hasSize(2);
        assertThat(asFeed("rio").queryParam("since", released.header("X-Export-Until")).get("/export/rio/assessments").asString())
                .doesNotContain(client);
    }

    @Test
    void unknownOutboundFileAndBadSinceAreClearErrors() {
        asFeed("rio").get("/export/rio/clients").then().statusCode(400);
        asFeed("rio").queryParam("since", "yesterday").get("/export/rio/assessments").then().statusCode(400)
                .body("issue[0].diagnostics", org.hamcrest.Matchers.containsString("since"));
    }
}
