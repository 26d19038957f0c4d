package org.childrensgateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Records are stored many to a database transaction (gateway.ingest.batch-size, 50). A record the
 * store refuses part-way through a batch must still cost only itself: the records before and after
 * it in the same batch are stored, it is quarantined with its own reason, and the request's audit
 * record names only what was really stored (the batch's first, rolled-back attempt wrote nothing).
 */
class FeedBatchTest extends GatewayTestBase {

    private static final String HEADER = "ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,GenderCode,"
            + "AddressLine1,AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated\r\n";
    private static final String CLIENT_SYSTEM = "https://fhir.childrens-gateway.uk/Id/rio/RX9/client";

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private io.micrometer.core.instrument.MeterRegistry registry;

    private double rewritten() {
        var counter = registry.find("gateway.ingest.batches.rewritten").counter();
        return counter == null ? 0 : counter.count();
    }

    private static String row(String id, String surname, String dob) {
        return id + ",,," + surname + ",Oliver,,"  + dob + ",1,1 Batch Road,,,,NP44 1AA,,,,03/11/2026 22:10:00\r\n";
    }

    private String patientWithClientId(String clientId) {
        return createAs("rio-hv", "Patient", """
                {"resourceType":"Patient","identifier":[{"system":"%s","value":"%s"}],
                 "name":[{"family":"Dwbl","given":["Oliver"]}],"gender":"male","birthDate":"2022-08-21"}"""
                .formatted(CLIENT_SYSTEM, clientId));
    }

    @Test
    void aRecordTheStoreRefusesMidBatchCostsOnlyItselfAndTheAuditNamesOnlyWhatWasStored() {
        String p = "FB" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        // Two Patients already carry this client id: the record's conditional update matches both and is refused (412).
        String ambiguous = p + "-DUP";
        patientWithClientId(ambiguous);
        patientWithClientId(ambiguous);
        StringBuilder file = new StringBuilder(HEADER);
        for (int i = 0; i < 5; i++) {
            file.append(row(p + "-A" + i, "Cyntaf", "0" + (i + 1) + "/02/2022"));
        }
        file.append(row(ambiguous, "Dwbl", "21/08/2022"));
        for (int i = 0; i < 5; i++) {
            file.append(row(p + "-B" + i, "Olaf", "0" + (i + 1) + "/03/2022"));
        }
        double rewrittenBefore = rewritten();
        String requestId = UUID.randomUUID().toString();
        JsonPath report = asFeed("rio").header("X-Request-ID", requestId).contentType("text/csv")
                .body(file.toString().getBytes(StandardCharsets.UTF_8)).post("/ingest/rio/clients")
                .then().statusCode(200).extract().jsonPath();

        assertThat(report.getInt("records")).isEqualTo(11);
        assertThat(report.getInt("created")).isEqualTo(10);
        assertThat(report.getInt("quarantined")).isEqualTo(1);
        assertThat(report.getString("quarantinedRecords[0].location")).isEqualTo("line 7");
        assertThat(report.getString("quarantinedRecords[0].reason")).contains("rejected by the FHIR store");
        assertThat(rewritten()).as("the batch was written again record by record, and counted").isGreaterThan(rewrittenBefore);
        assertThat(jdbc.sql("select count(*) from source_record where feed = 'rio' and file = 'clients' and source_id like ?")
                .param("%/" + p + "-%").query(Integer.class).single()).isEqualTo(10);
        for (String id : List.of(p + "-A0", p + "-A4", p + "-B0", p + "-B4")) {
            assertThat(fhirAs("rio-hv").get("/Patient?identifier=" + CLIENT_SYSTEM + "|" + id).then().statusCode(200)
                    .extract().jsonPath().getInt("total")).as(id).isPositive(); // the source record (and its child record)
        }

        // The audit record of this request: every Patient it names exists.
        String audit = jdbc.sql("select content::text from resource where res_type = 'AuditEvent' and content::text like ?")
                .param("%" + requestId + "%").query(String.class).single();
        List<String> patients = JsonPath.from(audit).getList("entity.what.reference", String.class).stream()
                .filter(r -> r != null && r.startsWith("Patient/")).distinct().toList();
        for (String ref : patients) {
            assertThat(jdbc.sql("select count(*) from resource where res_type = 'Patient' and res_id = ? and not deleted")
                    .param(ref.substring("Patient/".length())).query(Integer.class).single()).as(ref).isEqualTo(1);
        }
        assertThat(patients).hasSizeGreaterThanOrEqualTo(10); // the ten source records, and their child records
        // Each record written again alone was stored from its mapped form: its Provenance names the Patient
        // actually stored, not the one its batch's rolled-back attempt had assigned.
        List<String> provenances = JsonPath.from(audit).getList("entity.what.reference", String.class).stream()
                .filter(r -> r != null && r.startsWith("Provenance/")).distinct().toList();
        assertThat(provenances).hasSize(10);
        for (String ref : provenances) {
            String target = jdbc.sql("select content->'target'->0->>'reference' from resource where res_type = 'Provenance' and res_id = ?"
                    + " and not deleted").param(ref.substring("Provenance/".length())).query(String.class).single();
            assertThat(jdbc.sql("select count(*) from resource where res_type = 'Patient' and res_id = ? and not deleted")
                    .param(target.substring("Patient/".length())).query(Integer.class).single()).as(ref + " -> " + target).isEqualTo(1);
        }
    }

    @Test
    void aLaterRowOfTheSameClientInTheSameBatchUpdatesTheChildTheEarlierRowCreated() {
        String p = "FC" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        StringBuilder file = new StringBuilder(HEADER);
        for (int i = 0; i < 4; i++) {
            file.append(row(p + "-" + i, "Eto", "1" + i + "/04/2022"));
        }
        // The same client twice in one file (one batch): the second row is the first's update, not a second child.
        file.append(row(p + "-0", "Etowedi", "10/04/2022"));
        // And a row sent twice unchanged: the batch's later copy sees what the earlier one was accepted as.
        file.append(row(p + "-1", "Eto", "11/04/2022"));
        byte[] body = file.toString().getBytes(StandardCharsets.UTF_8);
        JsonPath first = asFeed("rio").contentType("text/csv").body(body).post("/ingest/rio/clients").then().statusCode(200)
                .extract().jsonPath();
        assertThat(first.getInt("created")).isEqualTo(4);
        assertThat(first.getInt("updated")).isEqualTo(1);
        assertThat(first.getInt("unchanged")).isEqualTo(1);
        // The same file again, as one accepted record after another would leave it: the first row of
        // client 0 differs from what was last accepted (the second), and so on; the rest are no-ops.
        JsonPath again = asFeed("rio").contentType("text/csv").body(body).post("/ingest/rio/clients").then().statusCode(200)
                .extract().jsonPath();
        assertThat(again.getInt("created")).isEqualTo(0);
        assertThat(again.getInt("updated")).isEqualTo(2);
        assertThat(again.getInt("unchanged")).isEqualTo(4);
        assertThat(fhirAs("rio-hv").get("/Patient?identifier=" + CLIENT_SYSTEM + "|" + p + "-0").then().statusCode(200)
                .extract().jsonPath().getString("entry[0].resource.name[0].family")).isEqualTo("Etowedi");
    }
}
