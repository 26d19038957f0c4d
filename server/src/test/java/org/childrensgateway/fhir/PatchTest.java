package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * PATCH, as JSON Patch and as FHIRPath Patch, through PUT's write path: versions, If-Match,
 * validation, conditional patch, audit. Who may patch what is in DisclosureMatrixTest.
 */
class PatchTest extends GatewayTestBase {

    private static final String SOURCE = "https://fhir.childrens-gateway.uk/Id/test/client";
    private static final String JSON_PATCH = "application/json-patch+json";

    @Autowired
    private JdbcClient jdbc;

    private String patient(String sourceId) {
        return fhir().body(FhirFixtures.patient(sourceId, null, "Patchett", "Ifan", "2024-01-02", "male", "CF10 1AA"))
                .post("/Patient").then().statusCode(201).extract().jsonPath().getString("id");
    }

    private Response jsonPatch(String url, String patch) {
        return as(JSON_PATCH).body(patch).patch(url);
    }

    /** A FHIR request with this content type only (fhir() would send its own as well). */
    private static io.restassured.specification.RequestSpecification as(String contentType) {
        return io.restassured.RestAssured.given().basePath("/fhir").accept("application/fhir+json").contentType(contentType);
    }

    private Response fhirPathPatch(String url, String parameters) {
        return fhir().contentType("application/fhir+json").body(parameters).patch(url);
    }

    private static String operation(String type, String path, String more) {
        return """
                {"name": "operation", "part": [{"name": "type", "valueCode": "%s"}, {"name": "path", "valueString": "%s"}%s]}"""
                .formatted(type, path, more.isEmpty() ? "" : ", " + more);
    }

    private static String parameters(String... operations) {
        return "{\"resourceType\": \"Parameters\", \"parameter\": [" + String.join(", ", operations) + "]}";
    }

    @Test
    void jsonPatchMakesTheNextVersion() {
        String id = patient(FhirFixtures.uniqueId("JP"));
        Response r = jsonPatch("/Patient/" + id, """
                [{"op": "test", "path": "/birthDate", "value": "2024-01-02"},
                 {"op": "replace", "path": "/birthDate", "value": "2024-01-03"},
                 {"op": "add", "path": "/name/0/given/-", "value": "Rhys"},
                 {"op": "remove", "path": "/address"}]""");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.header("ETag")).isEqualTo("W/\"2\"");
        JsonPath now = fhir().get("/Patient/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(now.getString("meta.versionId")).isEqualTo("2");
        assertThat(now.getString("birthDate")).isEqualTo("2024-01-03");
        assertThat(now.getList("name[0].given", String.class)).containsExactly("Ifan", "Rhys");
        assertThat(now.getList("address")).isNull();
        // History has both versions; the first is as it was.
        assertThat(fhir().get("/Patient/" + id + "/_history/1").then().statusCode(200).extract().jsonPath().getString("birthDate"))
                .isEqualTo("2024-01-02");
        // The index follows: the new birth date finds it, the old one does not.
        assertThat(fhir().get("/Patient?_id=" + id + "&birthdate=2024-01-03").jsonPath().getInt("total")).isEqualTo(1);
        assertThat(fhir().get("/Patient?_id=" + id + "&birthdate=2024-01-02").jsonPath().getInt("total")).isZero();
    }

    @Test
    void fhirPathPatchAddsInsertsReplacesMovesAndDeletes() {
        String id = patient(FhirFixtures.uniqueId("FP"));
        Response r = fhirPathPatch("/Patient/" + id, parameters(
                operation("replace", "Patient.birthDate", "{\"name\": \"value\", \"valueDate\": \"2024-02-02\"}"),
                operation("add", "Patient", "{\"name\": \"name\", \"valueString\": \"telecom\"}, "
                        + "{\"name\": \"value\", \"valueContactPoint\": {\"system\": \"phone\", \"value\": \"07700 900333\"}}"),
                operation("insert", "Patient.name[0].given", "{\"name\": \"value\", \"valueString\": \"Aled\"}, {\"name\": \"index\", \"valueInteger\": 0}"),
                operation("move", "Patient.name[0].given", "{\"name\": \"source\", \"valueInteger\": 0}, {\"name\": \"destination\", \"valueInteger\": 1}"),
                operation("replace", "Patient.gender", "{\"name\": \"value\", \"valueCode\": \"female\"}"),
                operation("delete", "Patient.address", "")));
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonPath now = fhir().get("/Patient/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(now.getString("meta.versionId")).isEqualTo("2");
        assertThat(now.getString("birthDate")).isEqualTo("2024-02-02");
        assertThat(now.getString("gender")).isEqualTo("female");
        assertThat(now.getString("telecom[0].value")).isEqualTo("07700 900333");
        assertThat(now.getList("name[0].given", String.class)).containsExactly("Ifan", "Aled");
        assertThat(now.getList("address")).isNull();
        // A path that matches several elements where one is needed, or none, is refused and changes nothing.
        fhirPathPatch("/Patient/" + id, parameters(operation("replace", "Patient.name.given",
                "{\"name\": \"value\", \"valueString\": \"X\"}"))).then().statusCode(422);
        fhirPathPatch("/Patient/" + id, parameters(operation("replace", "Patient.deceased",
                "{\"name\": \"value\", \"valueBoolean\": true}"))).then().statusCode(422);
        fhirPathPatch("/Patient/" + id, parameters(operation("explode", "Patient", ""))).then().statusCode(400);
        assertThat(fhir().get("/Patient/" + id).jsonPath().getString("meta.versionId")).isEqualTo("2");
    }

    @Test
    void ifMatchIsHonouredAndAnUnchangedPatchMakesNoVersion() {
        String id = patient(FhirFixtures.uniqueId("IM"));
        String patch = "[{\"op\": \"replace\", \"path\": \"/birthDate\", \"value\": \"2024-01-05\"}]";
        as(JSON_PATCH).header("If-Match", "W/\"7\"").body(patch).patch("/Patient/" + id).then().statusCode(412);
        as(JSON_PATCH).header("If-Match", "W/\"1\"").body(patch).patch("/Patient/" + id).then().statusCode(200);
        // The same patch again leaves the content as it is: no new version, as for a PUT of the same content.
        jsonPatch("/Patient/" + id, patch).then().statusCode(200);
        assertThat(fhir().get("/Patient/" + id).jsonPath().getString("meta.versionId")).isEqualTo("2");
        as(JSON_PATCH).header("If-Match", "W/\"1\"").body(patch).patch("/Patient/" + id).then().statusCode(412);
    }

    @Test
    void aPatchThatBreaksTheRulesIsRefusedAndStoresNothing() {
        String id = patient(FhirFixtures.uniqueId("BAD"));
        // Invalid against the profile: an Observation without status, a Patient with an impossible NHS number.
        String obs = fhir().body(FhirFixtures.observation("Patient/" + id, "27113001", "2026-10-10T10:30:00Z", 5.5)).post("/Observation")
                .then().statusCode(201).extract().jsonPath().getString("id");
        jsonPatch("/Observation/" + obs, "[{\"op\": \"remove\", \"path\": \"/status\"}]").then().statusCode(422);
        jsonPatch("/Patient/" + id, "[{\"op\": \"add\", \"path\": \"/identifier/-\", \"value\": "
                + "{\"system\": \"https://fhir.nhs.uk/Id/nhs-number\", \"value\": \"1234567890\"}}]").then().statusCode(422);
        // An element FHIR does not define would be lost: refused, as for PUT.
        jsonPatch("/Patient/" + id, "[{\"op\": \"add\", \"path\": \"/favouriteColour\", \"value\": \"blue\"}]").then().statusCode(400);
        // The id, the resource type and the derived-record tag are not the patch's to change.
        jsonPatch("/Patient/" + id, "[{\"op\": \"replace\", \"path\": \"/id\", \"value\": \"someone-else\"}]").then().statusCode(400);
        jsonPatch("/Patient/" + id, "[{\"op\": \"replace\", \"path\": \"/resourceType\", \"value\": \"Observation\"}]").then().statusCode(400);
        jsonPatch("/Patient/" + id, "[{\"op\": \"add\", \"path\": \"/meta/tag/-\", \"value\": "
                + "{\"system\": \"https://fhir.childrens-gateway.uk/CodeSystem/record-kind\", \"code\": \"child-record\"}}]").then().statusCode(403);
        // A failed test, a path that is not there, a malformed document.
        jsonPatch("/Patient/" + id, "[{\"op\": \"test\", \"path\": \"/gender\", \"value\": \"female\"}]").then().statusCode(422);
        jsonPatch("/Patient/" + id, "[{\"op\": \"remove\", \"path\": \"/telecom/3\"}]").then().statusCode(422);
        jsonPatch("/Patient/" + id, "{\"op\": \"remove\"}").then().statusCode(400);
        jsonPatch("/Patient/" + id, "[{\"op\": \"fold\", \"path\": \"/gender\"}]").then().statusCode(400);
        as("application/xml-patch+xml").body("<diff/>").patch("/Patient/" + id).then().statusCode(org.hamcrest.Matchers.oneOf(400, 415));
        assertThat(fhir().get("/Patient/" + id).jsonPath().getString("meta.versionId")).isEqualTo("1");
        assertThat(fhir().get("/Observation/" + obs).jsonPath().getString("status")).isEqualTo("final");
        // Missing, and without an id or criteria.
        jsonPatch("/Patient/no-such-patient", "[{\"op\": \"remove\", \"path\": \"/gender\"}]").then().statusCode(404);
    }

    @Test
    void theRecorderStaysTheRecorder() {
        String id = patient(FhirFixtures.uniqueId("REC"));
        Response r = jsonPatch("/Patient/" + id, """
                [{"op": "replace", "path": "/meta/tag", "value":
                  [{"system": "https://fhir.childrens-gateway.uk/CodeSystem/recording-organisation", "code": "M85001"}]},
                 {"op": "replace", "path": "/birthDate", "value": "2024-01-09"}]""");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        String tags = fhir().get("/Patient/" + id).jsonPath().getString("meta.tag.code");
        assertThat(tags).contains("TEST-ORG").doesNotContain("M85001");
    }

    @Test
    void conditionalPatchNeedsExactlyOneOwnMatch() {
        String sourceId = FhirFixtures.uniqueId("CP");
        String id = patient(sourceId);
        String patch = "[{\"op\": \"replace\", \"path\": \"/birthDate\", \"value\": \"2024-01-04\"}]";
        Response r = jsonPatch("/Patient?identifier=" + SOURCE + "|" + sourceId, patch);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(fhir().get("/Patient/" + id).jsonPath().getString("birthDate")).isEqualTo("2024-01-04");
        jsonPatch("/Patient?identifier=" + SOURCE + "|" + sourceId + "-none", patch).then().statusCode(404);
        patient(sourceId); // a second record with the same identifier
        jsonPatch("/Patient?identifier=" + SOURCE + "|" + sourceId, patch).then().statusCode(412);
    }

    @Test
    void aTransactionPatchesWithParametersOrABinaryAndRollsBackWhole() {
        String a = patient(FhirFixtures.uniqueId("TXA"));
        String b = patient(FhirFixtures.uniqueId("TXB"));
        String jsonPatch = java.util.Base64.getEncoder().encodeToString(
                "[{\"op\": \"replace\", \"path\": \"/birthDate\", \"value\": \"2024-01-07\"}]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String transaction = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"resource": %s, "request": {"method": "PATCH", "url": "Patient/%s"}},
                  {"resource": {"resourceType": "Binary", "contentType": "application/json-patch+json", "data": "%s"},
                   "request": {"method": "PATCH", "url": "Patient/%s", "ifMatch": "W/\\"1\\""}}]}"""
                .formatted(parameters(operation("replace", "Patient.birthDate", "{\"name\": \"value\", \"valueDate\": \"2024-01-08\"}")),
                        a, jsonPatch, b);
        Response r = fhir().body(transaction).post("");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(fhir().get("/Patient/" + a).jsonPath().getString("birthDate")).isEqualTo("2024-01-08");
        assertThat(fhir().get("/Patient/" + b).jsonPath().getString("birthDate")).isEqualTo("2024-01-07");
        // One entry's If-Match no longer holds: neither entry is written.
        fhir().body(transaction.replace("2024-01-08", "2024-01-11")).post("").then().statusCode(412);
        assertThat(fhir().get("/Patient/" + a).jsonPath().getString("birthDate")).isEqualTo("2024-01-08");
    }

    @Test
    void aPatchIsAuditedAndListedInTheCapabilityStatement() {
        String id = patient(FhirFixtures.uniqueId("AUD"));
        String request = jsonPatch("/Patient/" + id, "[{\"op\": \"replace\", \"path\": \"/birthDate\", \"value\": \"2024-01-06\"}]")
                .then().statusCode(200).extract().header("X-Request-ID");
        List<String> audit = jdbc.sql("select content::text from resource where res_type = 'AuditEvent' and content::text like ?")
                .param("%" + request + "%").query(String.class).list();
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0)).contains("Patient/" + id).contains("patch");
        List<String> interactions = fhir().get("/metadata").jsonPath()
                .getList("rest[0].resource.find { it.type == 'Observation' }.interaction.code", String.class);
        assertThat(interactions).contains("patch", "update");
        assertThat(fhir().get("/metadata").jsonPath().getList("rest[0].resource.find { it.type == 'AuditEvent' }.interaction.code",
                String.class)).doesNotContain("patch");
    }
}
