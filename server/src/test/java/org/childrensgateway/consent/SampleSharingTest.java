package org.childrensgateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sample scene behaves as its README says once each system has sent its own extract under its
 * own token: Llŷr's father's refusal, Ava's withdrawal and Oliver's mental-health item. The sample
 * ids get a suffix so this scene does not meet other tests' copies of the same files.
 */
class SampleSharingTest extends GatewayTestBase {

    private static final String ID = "https://fhir.childrens-gateway.uk/Id/";
    private static final String NOT_DERIVED = "&_tag:not=https://fhir.childrens-gateway.uk/CodeSystem/record-kind|";
    private static boolean sent;

    private static String sample(String name) throws Exception {
        Path shared = Path.of("../../shared/formats/samples");
        Path dir = Files.isDirectory(shared) ? shared : Path.of("../mappers/src/test/resources/samples");
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8)
                .replace("RIO1000", "RIOSS00").replace("S1-000", "S1-SS0").replace("C-55", "C-SS").replace("F-22", "F-SS")
                .replace("A-9", "A-SS9").replace("CP-5", "CP-SS5").replace("\"E-", "\"E-SS").replace("\"C-", "\"C-SS").replace("\"P-", "\"P-SS");
    }

    private RequestSpecification as(String client) {
        return RestAssured.given().basePath("/fhir").accept("application/fhir+json").header("Authorization", "Bearer " + tokenFor(client));
    }

    @BeforeEach
    void eachSystemSendsItsOwnExtract() throws Exception {
        if (sent) {
            return;
        }
        send("rio-hv", "rio", "clients", "rio-clients.csv", "text/csv");
        send("rio-hv", "rio", "assessments", "rio-assessments.csv", "text/csv");
        send("rio-hv", "rio", "careplans", "rio-careplans.csv", "text/csv");
        send("systmone-gp", "systmone", "extract", "systmone-extract.xml", "application/xml");
        send("estart-centre", "childrens-centre", "registrations", "cc-registrations.csv", "text/csv");
        send("estart-centre", "childrens-centre", "attendance", "cc-attendance.csv", "text/csv");
        send("estart-centre", "childrens-centre", "progress-checks", "cc-progress-checks.csv", "text/csv");
        sent = true;
    }

    private void send(String client, String feed, String file, String sample, String type) throws Exception {
        RestAssured.given().header("Authorization", "Bearer " + tokenFor(client)).contentType(type + "; charset=UTF-8")
                .body(sample(sample).getBytes(StandardCharsets.UTF_8)).post("/ingest/" + feed + "/" + file).then().statusCode(200);
    }

    /** The id of a resource found by identifier, searching as its owner. */
    private String idOf(String owner, String type, String system, String value) {
        JsonPath found = as(owner).get("/" + type + "?identifier=" + system + "|" + value + NOT_DERIVED).then().statusCode(200)
                .extract().jsonPath();
        assertThat(found.getInt("total")).as("%s %s as %s", type, value, owner).isEqualTo(1);
        return found.getString("entry[0].resource.id");
    }

    @Test
    void oliversMentalHealthItemIsSeenOnlyByTheTrustThatRecordedIt() {
        String item = idOf("rio-hv", "Observation", ID + "rio/RX9/assessment", "A-SS9101");
        as("rio-hv").get("/Observation/" + item).then().statusCode(200);
        for (String partner : List.of("systmone-gp", "estart-centre", "la-social-care")) {
            as(partner).get("/Observation/" + item).then().statusCode(404);
        }
    }

    @Test
    void llyrsFathersRefusalKeepsHisRecordsWithEachSource() {
        String gpRecord = idOf("systmone-gp", "Patient", ID + "systmone/M85001/patient", "S1-SS0456");
        String centreRecord = idOf("estart-centre", "Patient", ID + "childrens-centre/W06000020/child", "C-SS02");
        // The early-years team (the health visitor) sees neither the GP's nor the centre's record.
        as("rio-hv").get("/Patient/" + gpRecord).then().statusCode(404);
        as("rio-hv").get("/Patient/" + centreRecord).then().statusCode(404);
        // What the law allows still flows: the live-birth details of the trust's record reach the centre.
        String trustRecord = idOf("rio-hv", "Patient", ID + "rio/RX9/client", "RIOSS00125");
        JsonPath seen = as("estart-centre").get("/Patient/" + trustRecord).then().statusCode(200).extract().jsonPath();
        assertThat(seen.getString("birthDate")).isEqualTo("2024-11-02");
        assertThat(seen.getList("identifier")).as("no NHS number under the live-birth agreement").isNullOrEmpty();
    }

    @Test
    void avasWithdrawalStopsTheCentreSharingWithHealth() {
        String ava = idOf("estart-centre", "Patient", ID + "childrens-centre/W06000020/child", "C-SS03");
        as("estart-centre").get("/Patient/" + ava).then().statusCode(200);
        as("rio-hv").get("/Patient/" + ava).then().statusCode(404);
        assertThat(as("rio-hv").get("/Patient/" + ava + "/$everything").statusCode()).isEqualTo(404);
    }

    @Test
    void milliesRenewedSystmOneConsentLetsTheCentreSeeTheGpsRecord() {
        // The centre's own consent (to HV and GP) passed its review date on 01/06/2026; SystmOne's renewed
        // consent (3 June 2026, to the children's centre team) is in date.
        String gpRecord = idOf("systmone-gp", "Patient", ID + "systmone/M85001/patient", "S1-SS0123");
        as("estart-centre").get("/Patient/" + gpRecord).then().statusCode(200);
        String centreRecord = idOf("estart-centre", "Patient", ID + "childrens-centre/W06000020/child", "C-SS01");
        as("rio-hv").get("/Patient/" + centreRecord).then().statusCode(404);
    }
}
