package org.childrensgateway.fhir;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.Response;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;

class TransactionTest extends GatewayTestBase {

    private static final String SOURCE = "https://fhir.childrens-gateway.uk/Id/test/client";
    /** Leaves out the child record the person index derives from each Patient. */
    private static final String SOURCE_RECORDS_ONLY = "&_tag:not=https://fhir.childrens-gateway.uk/CodeSystem/record-kind|";

    @Test
    void transactionResolvesPlaceholdersAndConditionalReferences() {
        String sourceId = FhirFixtures.uniqueId("TX");
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"fullUrl": "urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a",
                   "resource": %s,
                   "request": {"method": "PUT", "url": "Patient?identifier=%s|%s"}},
                  {"fullUrl": "urn:uuid:88f151c0-a954-468a-88bd-5ae15c08e059",
                   "resource": %s,
                   "request": {"method": "POST", "url": "Observation"}}
                ]}
                """.formatted(FhirFixtures.patient(sourceId, null, "Dafydd", "Llŷr", "2024-11-02", "male", "SA1 1AA"),
                SOURCE, sourceId,
                FhirFixtures.observation("urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a", "27113001", "2025-01-10T10:30:00Z", 9.1));
        Response response = fhir().body(bundle).post("");
        response.then().statusCode(200)
                .body("type", equalTo("transaction-response"))
                .body("entry[0].response.status", startsWith("201"))
                .body("entry[1].response.status", startsWith("201"));
        String patientId = response.jsonPath().getString("entry[0].resource.id");
        response.then().body("entry[1].resource.subject.reference", equalTo("Patient/" + patientId));

        // A second transaction may point at the patient by identifier, as a vendor that knows only its own ids does.
        String second = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"resource": %s, "request": {"method": "POST", "url": "Observation"}}]}
                """.formatted(FhirFixtures.observation("Patient?identifier=" + SOURCE + "|" + sourceId, "27113001", "2025-02-10T10:30:00Z", 9.4));
        fhir().body(second).post("").then().statusCode(200)
                .body("entry[0].resource.subject.reference", equalTo("Patient/" + patientId));
        fhir().get("/Observation?subject=Patient/" + patientId).then().body("total", equalTo(2));
    }

    @Test
    void aFailingEntryRollsBackTheWholeTransaction() {
        String sourceId = FhirFixtures.uniqueId("RB");
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"resource": %s, "request": {"method": "POST", "url": "Patient"}},
                  {"resource": {"resourceType": "Patient", "name": [{"family": "NoBirthDate"}]},
                   "request": {"method": "POST", "url": "Patient"}}
                ]}
                """.formatted(FhirFixtures.patient(sourceId, null, "Rollback", "Ann", "2024-01-01", "female", "CF10 1AA"));
        fhir().body(bundle).post("").then().statusCode(422)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("entry 1"));
        fhir().get("/Patient?identifier=" + SOURCE + "|" + sourceId).then().body("total", equalTo(0));
    }

    @Test
    void batchEntriesSucceedOrFailIndependently() {
        String sourceId = FhirFixtures.uniqueId("BA");
        String bundle = """
                {"resourceType": "Bundle", "type": "batch", "entry": [
                  {"resource": %s, "request": {"method": "POST", "url": "Patient"}},
                  {"request": {"method": "GET", "url": "Patient/no-such-patient"}}
                ]}
                """.formatted(FhirFixtures.patient(sourceId, null, "Batch", "Bea", "2024-01-01", "female", "CF10 1AA"));
        fhir().body(bundle).post("").then().statusCode(200)
                .body("type", equalTo("batch-response"))
                .body("entry[0].response.status", startsWith("201"))
                .body("entry[1].response.status", startsWith("404"))
                .body("entry[1].response.outcome.resourceType", equalTo("OperationOutcome"));
        fhir().get("/Patient?identifier=" + SOURCE + "|" + sourceId + SOURCE_RECORDS_ONLY).then().body("total", equalTo(1));
    }

    @Test
    void unresolvableConditionalReferenceFailsClearly() {
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"resource": %s, "request": {"method": "POST", "url": "Observation"}}]}
                """.formatted(FhirFixtures.observation("Patient?identifier=" + SOURCE + "|never-seen", "27113001", "2025-02-10T10:30:00Z", 9.4));
        fhir().body(bundle).post("").then().statusCode(400).body("issue[0].diagnostics", containsString("matches no resource"));
    }

    /**
     * FHIR R4's transaction rules: a resource appears in a transaction once. Two conditional creates
     * with the same criteria would otherwise make two Patients that each claim the identifier (or,
     * with a match, a response naming one resource twice, against bdl-7); both are refused, whole.
     */
    @Test
    void twoConditionalCreatesWithTheSameCriteriaAreRefusedAndNothingIsWritten() {
        String sourceId = FhirFixtures.uniqueId("TWICE");
        String patient = FhirFixtures.patient(sourceId, null, "Twice", "Tom", "2024-03-03", "male", "CF10 1AA");
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"fullUrl": "urn:uuid:0f6e1b4e-1d5a-4f57-9b1e-3c1f2a000001", "resource": %s,
                   "request": {"method": "POST", "url": "Patient", "ifNoneExist": "identifier=%s|%s"}},
                  {"fullUrl": "urn:uuid:0f6e1b4e-1d5a-4f57-9b1e-3c1f2a000002", "resource": %s,
                   "request": {"method": "POST", "url": "Patient", "ifNoneExist": "identifier=%s|%s"}}
                ]}
                """.formatted(patient, SOURCE, sourceId, patient, SOURCE, sourceId);
        fhir().body(bundle).post("").then().statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("entries 0 (POST Patient) and 1 (POST Patient)"))
                .body("issue[0].diagnostics", containsString("have the same conditional criteria 'Patient?identifier="))
                .body("issue[0].diagnostics", containsString("only once"));
        fhir().get("/Patient?identifier=" + SOURCE + "|" + sourceId + SOURCE_RECORDS_ONLY).then().body("total", equalTo(0));
    }

    /** Different criteria that resolve to one stored Patient overlap too, and so do two updates of one id. */
    @Test
    void entriesResolvingToTheSameResourceAreRefusedAndNothingIsWritten() {
        String first = FhirFixtures.uniqueId("ONE");
        String other = FhirFixtures.uniqueId("OTHER");
        String stored = FhirFixtures.patient(first, null, "Overlap", "Olwen", "2024-04-04", "female", "SA1 1AA")
                .replace("\"identifier\": [", "\"identifier\": [{\"system\": \"" + SOURCE + "-ward\", \"value\": \"" + other + "\"},");
        String id = fhir().body(stored).post("/Patient").then().statusCode(201).extract().jsonPath().getString("id");
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"fullUrl": "urn:uuid:0f6e1b4e-1d5a-4f57-9b1e-3c1f2a000003", "resource": %s,
                   "request": {"method": "POST", "url": "Patient", "ifNoneExist": "identifier=%s|%s"}},
                  {"fullUrl": "urn:uuid:0f6e1b4e-1d5a-4f57-9b1e-3c1f2a000004", "resource": %s,
                   "request": {"method": "POST", "url": "Patient", "ifNoneExist": "identifier=%s-ward|%s"}},
                  {"resource": %s, "request": {"method": "POST", "url": "Observation"}}
                ]}
                """.formatted(stored, SOURCE, first, stored, SOURCE, other,
                FhirFixtures.observation("urn:uuid:0f6e1b4e-1d5a-4f57-9b1e-3c1f2a000003", "27113001", "2025-01-10T10:30:00Z", 9.1));
        fhir().body(bundle).post("").then().statusCode(400)
                .body("issue[0].diagnostics", containsString("both name Patient/" + id))
                .body("issue[0].expression[0]", equalTo("Bundle.entry[1]"));
        fhir().get("/Observation?subject=Patient/" + id).then().body("total", equalTo(0));

        String updated = stored.replace("\"resourceType\": \"Patient\",", "\"resourceType\": \"Patient\", \"id\": \"" + id + "\",");
        String twice = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"resource": %s, "request": {"method": "PUT", "url": "Patient/%s"}},
                  {"resource": %s, "request": {"method": "PUT", "url": "Patient/%s"}}
                ]}
                """.formatted(updated.replace("Olwen", "Olwen Ann"), id, updated.replace("Olwen", "Olwen Beth"), id);
        fhir().body(twice).post("").then().statusCode(400)
                .body("issue[0].diagnostics", containsString("both name Patient/" + id));
        fhir().get("/Patient/" + id).then().statusCode(200).body("meta.versionId", equalTo("1"))
                .body("name[0].given[0]", equalTo("Olwen"));
    }
}
