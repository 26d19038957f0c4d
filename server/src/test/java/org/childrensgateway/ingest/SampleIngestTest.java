package org.childrensgateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Each sample extract ingests over HTTP with the outcomes the samples' README describes; a second
 * send changes nothing; a replay after a correction stores the fixed record. The tests run in
 * order because later files refer to clients from earlier ones, as real extracts do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleIngestTest extends GatewayTestBase {

    private static final String RIO = "https://fhir.childrens-gateway.uk/Id/rio/RX9/client";
    /** Leaves out the child records the person index derives from the source records. */
    private static final String SOURCE_RECORDS_ONLY = "&_tag:not=https://fhir.childrens-gateway.uk/CodeSystem/record-kind|";

    private Response send(String feed, String file, String sample, String contentType) {
        return asFeed(feed).contentType(contentType).body(Samples.bytes(sample)).post("/ingest/" + feed + "/" + file);
    }

    @Test
    @Order(1)
    void rioClientsStoreThreeAndQuarantineTheTwoBadOnes() {
        JsonPath report = send("rio", "clients", "rio-clients.csv", "text/csv").then().statusCode(200)
                .body("status", equalTo("done")).extract().jsonPath();
        assertThat(report.getInt("records")).isEqualTo(5);
        assertThat(report.getInt("quarantined")).isEqualTo(2);
        assertThat(report.getInt("created") + report.getInt("unchanged")).isEqualTo(3);
        List<Map<String, Object>> bad = report.getList("quarantinedRecords");
        assertThat(bad).extracting(m -> m.get("sourceId")).containsExactlyInAnyOrder("RIO1000126", "RIO1000127");
        assertThat(reasonFor(bad, "RIO1000126")).containsIgnoringCase("modulus");
        assertThat(reasonFor(bad, "RIO1000127")).containsIgnoringCase("date");
        // Never echo personal data in a reason: the bad NHS number is not repeated back.
        assertThat(reasonFor(bad, "RIO1000126")).doesNotContain("9995260183");

        asRio().get("/Patient?identifier=" + RIO + "|RIO1000123" + SOURCE_RECORDS_ONLY).then().body("total", equalTo(1))
                .body("entry[0].resource.name[0].family", equalTo("Jones"));
        asRio().get("/Patient?identifier=" + RIO + "|RIO1000126").then().body("total", equalTo(0));
    }

    @Test
    @Order(2)
    void resendingTheSameExtractChangesNothing() {
        send("rio", "clients", "rio-clients.csv", "text/csv").then().statusCode(200)
                .body("created", equalTo(0)).body("updated", equalTo(0)).body("unchanged", equalTo(3)).body("quarantined", equalTo(2));
        asRio().get("/Patient?identifier=" + RIO + "|RIO1000123" + SOURCE_RECORDS_ONLY).then().body("total", equalTo(1))
                .body("entry[0].resource.meta.versionId", equalTo("1"));
    }

    @Test
    @Order(3)
    void rioAssessmentsQuarantineTheUnmappedCode() {
        JsonPath report = send("rio", "assessments", "rio-assessments.csv", "text/csv").then().statusCode(200).extract().jsonPath();
        assertThat(report.getInt("records")).isEqualTo(7);
        assertThat(report.getInt("quarantined")).isEqualTo(1);
        List<Map<String, Object>> bad = report.getList("quarantinedRecords");
        assertThat(bad.get(0).get("sourceId")).isEqualTo("A-9102");
        assertThat((String) bad.get(0).get("reason")).contains("XYZ-UNKNOWN");
        // The mental-health item is stored with a sensitivity label.
        asRio().get("/Observation?patient.identifier=" + RIO + "|RIO1000124").then().statusCode(200)
                .body("entry.resource.meta.security.flatten().code", hasItem("PSY"));
    }

    @Test
    @Order(4)
    void otherSamplesIngestCleanly() {
        send("rio", "careplans", "rio-careplans.csv", "text/csv").then().statusCode(200).body("quarantined", equalTo(0));
        send("systmone", "extract", "systmone-extract.xml", "application/xml").then().statusCode(200).body("quarantined", equalTo(0));
        send("childrens-centre", "registrations", "cc-registrations.csv", "text/csv").then().statusCode(200).body("quarantined", equalTo(0));
        send("childrens-centre", "attendance", "cc-attendance.csv", "text/csv").then().statusCode(200).body("quarantined", equalTo(0));
        send("childrens-centre", "progress-checks", "cc-progress-checks.csv", "text/csv").then().statusCode(200).body("quarantined", equalTo(0));
    }

    @Test
    @Order(5)
    void replayingACorrectedRecordStoresIt() {
        long id = asFeed("rio").get("/ingest/quarantine?feed=rio&file=clients").then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.sourceId == 'RIO1000127' }.id", Long.class).get(0);
        String raw = asFeed("rio").get("/ingest/quarantine/" + id).then().statusCode(200).extract().jsonPath().getString("rawText");
        assertThat(raw).contains("31/02/2023");
        // The listing pages by id: nothing of this feed and file comes after the last one.
        List<Long> all = asFeed("rio").get("/ingest/quarantine?feed=rio&file=clients&status=any&limit=1000").then()
                .statusCode(200).extract().jsonPath().getList("id", Long.class);
        assertThat(asFeed("rio").get("/ingest/quarantine?feed=rio&file=clients&status=any&afterId=" + all.get(all.size() - 1))
                .then().statusCode(200).extract().jsonPath().getList("id")).isEmpty();
        assertThat(asFeed("rio").get("/ingest/quarantine?feed=rio&file=clients&status=any&limit=1&afterId=" + all.get(0))
                .then().statusCode(200).extract().jsonPath().getList("id", Long.class)).containsExactly(all.get(1));
        // Replaying unchanged fails again and keeps the record.
        asFeed("rio").post("/ingest/quarantine/" + id + "/replay").then().statusCode(200).body("status", equalTo("open"));
        asFeed("rio").contentType("text/csv").body(raw.replace("31/02/2023", "28/02/2023"))
                .post("/ingest/quarantine/" + id + "/replay").then().statusCode(200)
                .body("status", equalTo("resolved")).body("outcome", equalTo("CREATED"));
        asRio().get("/Patient?identifier=" + RIO + "|RIO1000127" + SOURCE_RECORDS_ONLY).then().body("total", equalTo(1))
                .body("entry[0].resource.birthDate", equalTo("2023-02-28"));
    }

    @Test
    @Order(6)
    void dryRunShowsTheFhirAndWritesNothing() {
        String csv = new String(Samples.bytes("rio-clients.csv"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("RIO1000123", "RIO7770123");
        JsonPath preview = asFeed("rio").contentType("text/csv").body(csv).post("/ingest/rio/clients?dryRun=true")
                .then().statusCode(200).extract().jsonPath();
        assertThat(preview.getInt("records")).isEqualTo(5);
        assertThat(preview.getInt("wouldQuarantine")).isEqualTo(2);
        assertThat(preview.getString("items[0].bundle.resourceType")).isEqualTo("Bundle");
        asRio().get("/Patient?identifier=" + RIO + "|RIO7770123").then().body("total", equalTo(0));
    }

    @Test
    @Order(7)
    void unknownFeedIs404OperationOutcome() {
        asFeed("rio").contentType("text/csv").body("a,b\n1,2\n").post("/ingest/nosuchfeed/clients").then().statusCode(404)
                .body("resourceType", equalTo("OperationOutcome"));
    }

    private static String reasonFor(List<Map<String, Object>> bad, String sourceId) {
        return bad.stream().filter(m -> sourceId.equals(m.get("sourceId"))).map(m -> (String) m.get("reason")).findFirst().orElseThrow();
    }

    /** Reads as the trust whose feed stored the records (they are its own data). */
    private io.restassured.specification.RequestSpecification asRio() {
        return fhir().header("Authorization", "Bearer " + tokenFor("rio-hv"));
    }
}
