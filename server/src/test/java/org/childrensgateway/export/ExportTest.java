package org.childrensgateway.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import org.childrensgateway.GatewayTest;
import org.junit.jupiter.api.Test;

/** Systems pull the others' data in their own format, only what changed, never their own data back. */
class ExportTest extends GatewayTest {

    private static byte[] sample(String name) throws Exception {
        Path shared = Path.of("../../shared/formats/samples");
        Path dir = Files.isDirectory(shared) ? shared : Path.of("../mappers/src/test/resources/samples");
        return Files.readAllBytes(dir.resolve(name));
    }

    @Test
    void rioPullsSystmOneEventsAsAssessmentsButNotItsOwnOrSensitiveItems() throws Exception {
        RestAssured.given().contentType("text/csv").body(sample("rio-clients.csv")).post("/ingest/rio/clients").then().statusCode(200);
        RestAssured.given().contentType("text/csv").body(sample("rio-assessments.csv")).post("/ingest/rio/assessments").then().statusCode(200);
        RestAssured.given().contentType("application/xml").body(sample("systmone-extract.xml")).post("/ingest/systmone/extract").then().statusCode(200);

        Response rio = RestAssured.given().get("/export/rio/assessments");
        rio.then().statusCode(200).contentType("text/csv");
        String csv = rio.asString();
        assertThat(csv).startsWith("ClientID,AssessmentID");
        assertThat(csv).contains("WT,12.4");          // SystmOne's weight event, in RiO's own item code
        assertThat(csv).doesNotContain("A-9001");      // RiO's own assessments are not echoed back

        Response s1 = RestAssured.given().get("/export/systmone/extract");
        s1.then().statusCode(200);
        assertThat(s1.asString()).contains("SystmOneExtract");
        // RiO's mental-health item is labelled sensitive and is withheld from the GP system.
        assertThat(s1.asString()).doesNotContain("A-9101");
        assertThat(Integer.parseInt(s1.header("X-Export-Withheld"))).isGreaterThanOrEqualTo(1);

        // The next pull, from where this one ended, has nothing new.
        String until = rio.header("X-Export-Until");
        Response again = RestAssured.given().queryParam("since", until).get("/export/rio/assessments");
        again.then().statusCode(200);
        assertThat(again.header("X-Export-Records")).isEqualTo("0");
    }

    @Test
    void unknownOutboundFileAndBadSinceAreClearErrors() {
        RestAssured.given().get("/export/rio/clients").then().statusCode(400);
        RestAssured.given().queryParam("since", "yesterday").get("/export/rio/assessments").then().statusCode(400)
                .body("issue[0].diagnostics", org.hamcrest.Matchers.containsString("since"));
    }
}
