package org.childrensgateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Through /ingest: one bad record is quarantined and the rest of the file stored; a file that is
 * not what the feed reads is refused whole (4xx, nothing stored); sending a file again does not
 * quarantine its bad records twice.
 */
class FeedFaultsTest extends GatewayTestBase {

    private static final String HEADER = "ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,GenderCode,"
            + "AddressLine1,AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated\r\n";

    @Autowired
    private JdbcClient jdbc;

    private static String row(String id, String surname) {
        return id + ",,,"  + surname + ",Oliver,,21/08/2022,1,1 Test Road,,,,NP44 1AA,,,,03/11/2026 22:10:00\r\n";
    }

    private static byte[] bytes(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : parts) {
            out.writeBytes(p.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private JsonPath send(byte[] body, int status) {
        return RestAssured.given().header("Authorization", "Bearer " + tokenFor("rio-hv")).contentType("text/csv").body(body)
                .post("/ingest/rio/clients").then().statusCode(status).extract().jsonPath();
    }

    private int stored(String prefix) {
        return jdbc.sql("select count(*) from source_record where feed = 'rio' and file = 'clients' and source_id like ?")
                .param("%/" + prefix + "%").query(Integer.class).single();
    }

    @Test
    void badRecordsAreQuarantinedAndTheGoodOnesAroundThemStored() {
        String p = "RIOFF" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        byte[] body = bytes(HEADER, row(p + "1", "Good"), row(p + "2", "Nul\u0000"), row(p + "3", "Good"),
                p + "4,,,\"Unclosed,Oliver,,21/08/2022,1,x,,,,NP44 1AA,,,,03/11/2026 22:10:00\r\n", row(p + "5", "Bad#"), row(p + "6", "Good"),
                p + "7,short\r\n", row(p + "8", "Good"));
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '#') {
                body[i] = (byte) 0xfe;
            }
        }
        JsonPath report = send(body, 200);
        assertThat(report.getInt("records")).isEqualTo(8);
        assertThat(report.getInt("created")).isEqualTo(4);
        assertThat(report.getInt("quarantined")).isEqualTo(4);
        assertThat(report.getList("quarantinedRecords.location")).containsExactly("line 3", "line 5", "line 6", "line 8");
        assertThat(report.getString("quarantinedRecords[0].reason")).contains("nul-character").contains("Surname");
        assertThat(report.getString("quarantinedRecords[1].reason")).contains("unclosed-quote");
        assertThat(report.getString("quarantinedRecords[2].reason")).contains("invalid-utf8");
        assertThat(report.getString("quarantinedRecords[3].reason")).contains("short-row");
        assertThat(stored(p)).isEqualTo(4);

        // Sent again: the good records are unchanged, the bad ones are not quarantined a second time.
        long open = jdbc.sql("select count(*) from quarantine where status = 'open' and raw_text like ?").param("%" + p + "%")
                .query(Long.class).single();
        assertThat(open).isEqualTo(4);
        JsonPath again = send(body, 200);
        assertThat(again.getInt("unchanged")).isEqualTo(4);
        assertThat(again.getInt("quarantined")).isEqualTo(4);
        assertThat(jdbc.sql("select count(*) from quarantine where status = 'open' and raw_text like ?").param("%" + p + "%")
                .query(Long.class).single()).isEqualTo(open);
        assertThat(again.getList("quarantinedRecords")).hasSize(4);
    }

    @Test
    void aFileThatIsNotCsvIsRefusedWholeWithNothingStored() {
        String p = "RIOFN" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        RestAssured.given().header("Authorization", "Bearer " + tokenFor("rio-hv")).contentType("text/csv")
                .body(bytes("\"ClientID,NHSNumber\r\n", row(p + "1", "Good"))).post("/ingest/rio/clients")
                .then().statusCode(422).body("issue[0].diagnostics", containsString("not a CSV file"));
        assertThat(stored(p)).isZero();
    }

    @Test
    void xmlThatIsNotTheFeedsDocumentIsRefusedWholeWithA4xx() {
        String gp = tokenFor("systmone-gp");
        String[] bodies = {
            "<?xml version=\"1.0\"?><!DOCTYPE SystmOneExtract [<!ENTITY x \"y\">]><SystmOneExtract xmlns=\"urn:example:systmone-extract:1\"/>",
            "<OtherExtract xmlns=\"urn:example:systmone-extract:1\"><Patient id=\"X\"/></OtherExtract>",
            "this is not XML at all",
            "<SystmOneExtract xmlns=\"urn:example:systmone-extract:1\"><Patient id=\"X\"><Name></Patient>"};
        for (String body : bodies) {
            int status = RestAssured.given().header("Authorization", "Bearer " + gp).contentType("application/xml").body(body)
                    .post("/ingest/systmone/extract").then().extract().statusCode();
            assertThat(status).as(body).isBetween(400, 499).isNotEqualTo(404);
        }
        RestAssured.given().header("Authorization", "Bearer " + gp).contentType("application/xml").body(bodies[0])
                .post("/ingest/systmone/extract").then().statusCode(422).body("issue[0].diagnostics", containsString("DOCTYPE"));
        RestAssured.given().header("Authorization", "Bearer " + gp).contentType("application/xml").body(bodies[1])
                .post("/ingest/systmone/extract").then().statusCode(422).body("issue[0].diagnostics", containsString("root element"))
                .body("resourceType", equalTo("OperationOutcome"));
    }
}
