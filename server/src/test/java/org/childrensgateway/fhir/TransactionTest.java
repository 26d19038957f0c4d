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
}
