package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.audit.StoredAudit;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What a wrong link disclosed, over HTTP: two children's records are linked by mistake, several
 * organisations read through the child record in several ways (read, $everything, search, $services)
 * and also directly, the link is undone, and the report lists every disclosure the link caused and
 * none that it did not.
 */
class WrongLinkDisclosureTest extends GatewayTestBase {

    @Autowired
    private JdbcClient jdbc;

    /** What the test wrote (client, reference), newest last: deleted afterwards, so later pulls of every change do not meet it. */
    private final java.util.List<String[]> written = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void deleteWhatWasWritten() {
        for (int i = written.size() - 1; i >= 0; i--) {
            fhirAs(written.get(i)[0]).delete("/" + written.get(i)[1]);
        }
    }

    private String write(String client, String type, String json) {
        String id = createAs(client, type, json);
        written.add(new String[] {client, type + "/" + id});
        return id;
    }

    @Test
    void theReportListsEveryDisclosureTheLinkCausedAndNoneItDidNot() {
        String today = LocalDate.now().minusDays(1).toString();
        String nextYear = LocalDate.now().plusYears(1).toString();
        // Child 1: the health visitors' record (RX9), with a weighing, consented to GPs.
        String family1 = ChildRecordConstraintTest.uniqueFamily();
        String r1 = write("rio-hv", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("WL1"), FhirFixtures.nhsNumber(), family1,
                "Alys", "2025-03-03", "female", "NP4 6AB").replace("/Id/test/client", "/Id/rio/RX9/client"));
        String r1Weight = write("rio-hv", "Observation", FhirFixtures.observation("Patient/" + r1, "27113001", "2026-10-01T10:00:00Z", 8.1));
        write("rio-hv", "Consent", FhirFixtures.consent(r1, "active", "permit", today, nextYear, List.of("GP")));
        // Child 2: another child's GP record (M85001), with a weighing, consented to health visitors and,
        // by name, to the local authority's social care.
        String family2 = ChildRecordConstraintTest.uniqueFamily();
        String s = write("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("WL2"), FhirFixtures.nhsNumber(), family2,
                "Osian", "2024-08-08", "male", "NP4 6XY").replace("/Id/test/client", "/Id/systmone/M85001/patient"));
        java.time.Instant beforeChild2sWeighing = java.time.Instant.now().minusMillis(1);
        String sWeight = write("systmone-gp", "Observation", FhirFixtures.observation("Patient/" + s, "27113001", "2026-09-01T10:00:00Z", 12.5));
        write("systmone-gp", "Consent", FhirFixtures.consent(s, "active", "permit", today, nextYear, List.of("HV")));
        write("systmone-gp", "Consent", FhirFixtures.consent(s, "active", "permit", today, nextYear, List.of())
                .replace("\"actor\": []", "\"actor\": [{\"role\": {\"coding\": [{\"system\": "
                        + "\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\", \"code\": \"IRCP\"}]}, \"reference\": {\"identifier\": "
                        + "{\"system\": \"https://fhir.childrens-gateway.uk/Id/organisation\", \"value\": \"W06000020-SC\"}}}]"));
        String c1 = childOf(r1);
        assertThat(childOf(s)).as("two children, two child records").isNotEqualTo(c1);

        // Before the link: a read of child 1's record (not caused by a link that did not yet exist).
        fhirAs("systmone-gp").get("/Patient/" + c1).then().statusCode(200);

        // The wrong link: the data-quality desk puts child 2's GP record into child 1's record.
        asClient("data-quality").contentType("application/json").body(Map.of("source", "Patient/" + s, "child", c1))
                .post("/identity/link").then().statusCode(200);
        assertThat(childOf(s)).isEqualTo(c1);

        Map<String, String> caused = new HashMap<>();   // request id -> what it should list
        Set<String> notCaused = new LinkedHashSet<>();
        // The GP (its own record is child 2's) reads child 1's record: child 1's demographics came with it.
        caused.put(request(fhirAs("systmone-gp").get("/Patient/" + c1)), "M85001 Patient/" + r1);
        // ... and asks for everything: child 1's record and weighing.
        caused.put(request(fhirAs("systmone-gp").get("/Patient/" + c1 + "/$everything")), "M85001 Patient/" + r1 + " Observation/" + r1Weight);
        // The health visitors (child 1's) search child 1's observations: child 2's weighing is among them.
        caused.put(request(fhirAs("rio-hv").get("/Observation?patient=" + c1)), "RX9 Observation/" + sWeight);
        // ... read the child record: child 2's demographics.
        caused.put(request(fhirAs("rio-hv").get("/Patient/" + c1)), "RX9 Patient/" + s);
        // ... and ask which services know the child: child 2's GP contact is counted.
        caused.put(request(fhirAs("rio-hv").get("/Patient/" + c1 + "/$services")), "RX9 Observation/" + sWeight);
        // ... and pull the assessments file: child 2's weighing is filed under child 1's ClientID.
        caused.put(request(asClient("rio-hv").queryParam("since", beforeChild2sWeighing.toString()).get("/export/rio/assessments")),
                "RX9 Observation/" + sWeight);
        // The children's centre (no record of either) reads it under the live-birth agreement: child 2's demographics.
        caused.put(request(fhirAs("estart-centre").get("/Patient/" + c1)), "W06000020 Patient/" + s);

        // Not caused: social care has a consent naming it for child 2 and sees only child 2's part.
        String social = request(fhirAs("la-social-care").get("/Patient/" + c1));
        notCaused.add(social);
        // Not caused: each organisation reading the other child's records directly, not through the link.
        notCaused.add(request(fhirAs("rio-hv").get("/Patient/" + s)));
        notCaused.add(request(fhirAs("rio-hv").get("/Observation?patient=Patient/" + s)));
        notCaused.add(request(fhirAs("systmone-gp").get("/Observation/" + r1Weight)));
        // Not caused: the GP reading its own weighing of child 2.
        notCaused.add(request(fhirAs("systmone-gp").get("/Observation?patient=Patient/" + s)));

        JsonPath unlinked = asClient("data-quality").contentType("application/json").body(Map.of("source", "Patient/" + s, "child", c1))
                .post("/identity/unlink").then().statusCode(200).extract().jsonPath();
        long unlink = unlinked.getLong("unlink");
        String path = unlinked.getString("disclosureReport");
        assertThat(path).isEqualTo("/identity/unlinks/" + unlink + "/disclosures");

        // After the unlink: not caused either.
        fhirAs("systmone-gp").get("/Patient/" + c1).then().statusCode(200);

        // Only the auditor may read the report; every other kind of caller is refused, and no one may write it.
        for (String client : List.of("data-quality", "rio-hv", "systmone-gp", "estart-centre", "la-social-care", "integration")) {
            asClient(client).get(path).then().statusCode(403);
            assertThat(asClient(client).post(path).statusCode()).as(client + " writing").isIn(403, 405);
            assertThat(asClient(client).delete(path).statusCode()).as(client + " deleting").isIn(403, 404, 405);
        }
        io.restassured.RestAssured.given().header("Authorization", "").get(path).then().statusCode(401);
        assertThat(asClient("ig-auditor").post(path).statusCode()).isIn(403, 405);
        assertThat(asClient("ig-auditor").delete(path).statusCode()).isIn(403, 404, 405);
        asClient("ig-auditor").get("/identity/unlinks/999999999/disclosures").then().statusCode(404);

        var response = asClient("ig-auditor").get(path);
        response.then().statusCode(200);
        JsonPath report = response.jsonPath();
        assertThat(report.getString("source")).isEqualTo("Patient/" + s);
        assertThat(report.getString("child")).isEqualTo("Patient/" + c1);
        assertThat(report.getString("endedBy")).startsWith("data-quality");
        List<Map<String, Object>> disclosures = report.getList("disclosures");
        Map<String, String> listed = new HashMap<>();
        for (Map<String, Object> d : disclosures) {
            String event = (String) d.get("auditEvent");
            String requestId = requestIdOf(event);
            @SuppressWarnings("unchecked")
            List<String> resources = (List<String>) d.get("resources");
            listed.put(requestId, d.get("organisation") + " " + String.join(" ", resources));
            assertThat(d.get("client")).isNotNull();
            assertThat(d.get("when")).isNotNull();
        }
        assertThat(listed).as(response.asString()).containsOnlyKeys(caused.keySet());
        caused.forEach((request, expected) -> {
            String[] parts = expected.split(" ");
            assertThat(listed.get(request).split(" ")[0]).isEqualTo(parts[0]);
            assertThat(List.of(listed.get(request).split(" ")).subList(1, listed.get(request).split(" ").length))
                    .as("request " + request).contains(List.of(parts).subList(1, parts.length).toArray(String[]::new))
                    // never the organisation's own records, never the child whose record it is
                    .noneMatch(ref -> parts[0].equals("M85001") ? ref.equals("Patient/" + s) || ref.equals("Observation/" + sWeight)
                            : ref.equals("Patient/" + r1) || ref.equals("Observation/" + r1Weight));
        });
        assertThat(report.getList("notCaused.auditEvent", String.class).stream().map(this::requestIdOf))
                .as("social care, named in child 2's consent, relied on the link but saw only child 2").contains(social);

        // The report request is itself audited, naming both children.
        String own = response.header("X-Request-ID");
        assertThat(StoredAudit.ofRequest(jdbc, own)).contains("Patient/" + s).contains("Patient/" + c1);
    }

    private static String request(io.restassured.response.Response r) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.header("X-Request-ID");
    }

    private String childOf(String source) {
        return jdbc.sql("select child_id from person_link where pool = 'Patient' and source_id = ? and ended is null and status = 'linked'")
                .param(source).query(String.class).single();
    }

    private String requestIdOf(String auditEventId) {
        String content = jdbc.sql("select content::text from resource where res_type = 'AuditEvent' and res_id = ?")
                .param(auditEventId).query(String.class).single();
        JsonPath json = new JsonPath(content);
        return json.getString("entity.find { it.what?.identifier?.system == 'https://fhir.childrens-gateway.uk/Id/request-id' }.what.identifier.value");
    }

}
