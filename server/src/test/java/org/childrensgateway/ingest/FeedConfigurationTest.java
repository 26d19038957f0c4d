package org.childrensgateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * Onboarding a site by configuration alone, background jobs, and the rule that an older record
 * never overwrites a newer one.
 */
class FeedConfigurationTest extends GatewayTestBase {

    private static final Path MAPPING_DIR = Path.of("target/test-mappings");
    private static final String WEST = "https://fhir.childrens-gateway.uk/Id/rio-west/RYW/client";

    @Test
    void aVariantRioSiteIsOnboardedByConfigurationAlone() throws IOException {
        // The engineer drops the site's mapping files into the mapping directory and reloads: no build, no restart.
        VariantSite.onboard();
        RestAssured.given().post("/ingest/mappings/reload").then().statusCode(200)
                .body("'rio-west'.clients", equalTo("1.0.0-west"));

        asFeed("rio-west").contentType("text/csv").body(Files.readAllBytes(Path.of("src/test/resources/variant-site/variant-clients.csv")))
                .post("/ingest/rio-west/clients").then().statusCode(200).body("quarantined", equalTo(0));
        JsonPath report = asFeed("rio-west").contentType("text/csv")
                .body(Files.readAllBytes(Path.of("src/test/resources/variant-site/variant-assessments.csv")))
                .post("/ingest/rio-west/assessments").then().statusCode(200).extract().jsonPath();
        // Renamed columns are read, the three local codes translate, SPO2 has no entry in the site's map yet.
        assertThat(report.getInt("records")).isEqualTo(5);
        assertThat(report.getInt("quarantined")).isEqualTo(1);
        assertThat(report.getString("quarantinedRecords[0].reason")).contains("SPO2");
        fhir().header("Authorization", "Bearer " + tokenFor("rio-west")).get("/Observation?patient.identifier=" + WEST + "|W2000001")
                .then().body("total", equalTo(4));
    }

    @Test
    void largeOrAsyncExtractsRunAsAJobWithAStatusResource() throws InterruptedException {
        String csv = new String(Samples.bytes("rio-clients.csv"), java.nio.charset.StandardCharsets.UTF_8).replace("RIO10001", "RIO30001");
        var accepted = asFeed("rio").contentType("text/csv").body(csv).post("/ingest/rio/clients?async=true");
        accepted.then().statusCode(202).body("status", equalTo("queued"));
        String location = accepted.header("Location");
        assertThat(location).startsWith("/ingest/jobs/");
        JsonPath status = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            status = asFeed("rio").get(location).then().statusCode(200).extract().jsonPath();
            if ("done".equals(status.getString("status"))) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(status.getString("status")).isEqualTo("done");
        assertThat(status.getInt("records")).isEqualTo(5);
        assertThat(status.getInt("created")).isEqualTo(3);
        assertThat(status.getInt("quarantined")).isEqualTo(2);
    }

    @Test
    void onlyTheFeedsOwnOrganisationMayPushItAndItsDataIsRecordedAsTheirs() {
        // A feed is bound to its organisation (feed.yaml): another organisation's token cannot push a "RiO" record
        // that would then block RiO's own row, and what RiO pushes is recorded by RiO, not by the pushing client.
        String csv = "ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,GenderCode,AddressLine1,"
                + "AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated\n"
                + "RIO5000001,,,Pugh,Idris,,06/06/2024,1,,,,,CF10 1AA,,,,10/11/2026 10:00:00\n";
        RestAssured.given().contentType("text/csv").body(csv).post("/ingest/rio/clients").then().statusCode(403);
        asFeed("childrens-centre").contentType("text/csv").body(csv).post("/ingest/rio/clients").then().statusCode(403);
        asFeed("rio").contentType("text/csv").body(csv).post("/ingest/rio/clients").then().statusCode(200).body("created", equalTo(1));
        fhir().header("Authorization", "Bearer " + tokenFor("rio-hv"))
                .get("/Patient?identifier=https://fhir.childrens-gateway.uk/Id/rio/RX9/client|RIO5000001&_tag:not="
                        + "https://fhir.childrens-gateway.uk/CodeSystem/record-kind|child-record")
                .then().body("total", equalTo(1)).body("entry[0].resource.meta.tag.code", org.hamcrest.Matchers.hasItem("RX9"));
    }

    @Test
    void anInvalidMappingIsAn422AndChangesNothingWhileAnUnknownFeedIsA404() throws IOException {
        // "unknown key" in a mapping file is a broken mapping (422), not a missing feed (404).
        Path broken = MAPPING_DIR.resolve("mappings/broken-site");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("feed.yaml"), "version: \"1.0.0\"\nsourceSystem: Broken\norganisation: XX1\nbogusKey: 1\n");
        try {
            RestAssured.given().post("/ingest/mappings/reload").then().statusCode(422)
                    .body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].diagnostics", org.hamcrest.Matchers.containsString("bogusKey"));
        } finally {
            FileSystemUtils.deleteRecursively(broken);
        }
        RestAssured.given().post("/ingest/mappings/reload").then().statusCode(200);
        asFeed("rio").contentType("text/csv").body("a\n1\n").post("/ingest/rio/no-such-file").then().statusCode(404)
                .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void anOlderLastUpdatedNeverOverwritesNewerData() {
        String header = "ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,GenderCode,AddressLine1,"
                + "AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated\n";
        String newer = header + "RIO4000001,,,Roberts,Gwen,,05/05/2024,2,,,,,CF10 1AA,,,,10/11/2026 10:00:00\n";
        String older = header + "RIO4000001,,,Robertson,Gwen,,05/05/2024,2,,,,,CF10 1AA,,,,01/11/2026 10:00:00\n";
        asFeed("rio").contentType("text/csv").body(newer).post("/ingest/rio/clients").then().statusCode(200).body("created", equalTo(1));
        asFeed("rio").contentType("text/csv").body(older).post("/ingest/rio/clients").then().statusCode(200)
                .body("unchanged", equalTo(1)).body("updated", equalTo(0));
        fhir().header("Authorization", "Bearer " + tokenFor("rio-hv")).get("/Patient?identifier=https://fhir.childrens-gateway.uk/Id/rio/RX9/client|RIO4000001").then()
                .body("entry[0].resource.name[0].family", equalTo("Roberts"));
    }
}
