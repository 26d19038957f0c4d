package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.Response;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;

/**
 * A transaction's conditional update reuses what its criteria matched when the entry's id was
 * assigned ({@link ConditionalMatch}), instead of searching again. These check the reuse never
 * answers differently from a fresh search: not after an earlier entry wrote a match, not across
 * organisations, and not for the record it does update.
 */
class ConditionalMatchReuseTest extends GatewayTestBase {

    private static final String SOURCE = "https://fhir.childrens-gateway.uk/Id/test/client";
    private static final String SOURCE_RECORDS_ONLY = "&_tag:not=https://fhir.childrens-gateway.uk/CodeSystem/record-kind|";

    private static String conditionalPut(String patient, String sourceId) {
        return """
                {"fullUrl": "urn:uuid:%s", "resource": %s,
                 "request": {"method": "PUT", "url": "Patient?identifier=%s|%s"}}
                """.formatted(java.util.UUID.randomUUID(), patient, SOURCE, sourceId);
    }

    @Test
    void aMatchCreatedByAnEarlierEntryIsSeenByTheUpdate() {
        // The POST runs before the PUT (FHIR's order) and creates what the PUT's criteria match; when
        // the PUT's id was assigned there was no match. Reusing that stale "no match" would create a
        // second Patient with the same identifier; searching again finds the POST's Patient, whose id
        // is not the one assigned, and the whole transaction fails.
        String sourceId = FhirFixtures.uniqueId("CMR");
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  %s,
                  {"fullUrl": "urn:uuid:%s", "resource": %s, "request": {"method": "POST", "url": "Patient"}}
                ]}
                """.formatted(conditionalPut(FhirFixtures.patient(sourceId, null, "Reuse", "Second", "2024-05-06", "female", "CF10 1AA"), sourceId),
                java.util.UUID.randomUUID(), FhirFixtures.patient(sourceId, null, "Reuse", "First", "2024-05-06", "female", "CF10 1AA"));
        Response response = fhirAs("rio-hv").body(bundle).post("");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        fhirAs("rio-hv").get("/Patient?identifier=" + SOURCE + "|" + sourceId + SOURCE_RECORDS_ONLY).then().body("total", equalTo(0));
    }

    private static String conditionalCreate(String patient, String sourceId) {
        return """
                {"fullUrl": "urn:uuid:%s", "resource": %s,
                 "request": {"method": "POST", "url": "Patient", "ifNoneExist": "identifier=%s|%s"}}
                """.formatted(java.util.UUID.randomUUID(), patient, SOURCE, sourceId);
    }

    @Test
    void aConditionalCreateSeesWhatAnEarlierEntryChanged() {
        // When the create's id was assigned its criteria matched X; the DELETE runs first (FHIR's
        // order) and deletes X. Reusing the stale match would answer "X exists" (200, a deleted
        // resource); searching again finds none, and the create of the id promised for the entry
        // (X's) names X a second time in the transaction, which fails whole (FHIR's transaction rules).
        String sourceId = FhirFixtures.uniqueId("CMC");
        String x = createAs("rio-hv", "Patient", FhirFixtures.patient(sourceId, null, "Create", "Gwen", "2024-05-06", "female", "CF10 1AA"));
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  %s,
                  {"request": {"method": "DELETE", "url": "Patient/%s"}}
                ]}
                """.formatted(conditionalCreate(FhirFixtures.patient(sourceId, null, "Create", "Gwen", "2024-05-06", "female", "CF10 1AA"), sourceId), x);
        Response response = fhirAs("rio-hv").body(bundle).post("");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        assertThat(response.asString()).contains("both name Patient/" + x);
        fhirAs("rio-hv").get("/Patient/" + x).then().statusCode(200).body("meta.versionId", equalTo("1"));
    }

    @Test
    void aConditionalCreateSeesWhatAnEarlierEntryCreated() {
        // When the conditional create's id was assigned nothing matched; the plain create before it
        // (same rank, earlier entry) makes a Patient that does. Reusing the stale "no match" would
        // create a second Patient claiming the identifier; searching again finds the first, so the
        // two entries name one resource and the transaction fails whole.
        String sourceId = FhirFixtures.uniqueId("CME");
        String patient = FhirFixtures.patient(sourceId, null, "Earlier", "Elin", "2024-05-07", "female", "CF10 1AA");
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"fullUrl": "urn:uuid:%s", "resource": %s, "request": {"method": "POST", "url": "Patient"}},
                  %s
                ]}
                """.formatted(java.util.UUID.randomUUID(), patient, conditionalCreate(patient, sourceId));
        Response response = fhirAs("rio-hv").body(bundle).post("");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        assertThat(response.asString()).contains("Transaction entries 0 (POST Patient) and 1 (POST Patient) both name Patient/");
        fhirAs("rio-hv").get("/Patient?identifier=" + SOURCE + "|" + sourceId + SOURCE_RECORDS_ONLY).then().body("total", equalTo(0));
    }

    @Test
    void aConditionalCreateFindsTheOwnRecordNotTheChildRecord() {
        // The identifier also matches the child record (it carries its sources' identifiers): only
        // the caller's own source record is a match, and nothing is created.
        String sourceId = FhirFixtures.uniqueId("CMF");
        String x = createAs("rio-hv", "Patient", FhirFixtures.patient(sourceId, null, "Found", "Ifan", "2023-06-07", "male", "CF11 1AA"));
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [%s]}
                """.formatted(conditionalCreate(FhirFixtures.patient(sourceId, null, "Found", "Other", "2023-06-07", "male", "CF11 1AA"), sourceId));
        fhirAs("rio-hv").body(bundle).post("").then().statusCode(200)
                .body("entry[0].response.status", startsWith("200")).body("entry[0].resource.id", equalTo(x));
        fhirAs("rio-hv").get("/Patient?identifier=" + SOURCE + "|" + sourceId + SOURCE_RECORDS_ONLY).then().body("total", equalTo(1))
                .body("entry[0].resource.name[0].given[0]", equalTo("Ifan"));
    }

    @Test
    void anotherOrganisationsRecordIsNeverMatched() {
        String sourceId = FhirFixtures.uniqueId("CMO");
        String theirs = fhirAs("rio-hv").body(FhirFixtures.patient(sourceId, null, "Owner", "Rhian", "2023-07-08", "female", "SA1 1AA"))
                .put("/Patient?identifier=" + SOURCE + "|" + sourceId).then().statusCode(201).extract().jsonPath().getString("id");
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [%s]}
                """.formatted(conditionalPut(FhirFixtures.patient(sourceId, null, "Other", "Rhian", "2023-07-08", "female", "SA1 1AA"), sourceId));
        Response response = fhirAs("systmone-gp").body(bundle).post("");
        response.then().statusCode(200).body("entry[0].response.status", startsWith("201"));
        assertThat(response.jsonPath().getString("entry[0].resource.id")).isNotEqualTo(theirs);
        fhirAs("rio-hv").get("/Patient/" + theirs).then().statusCode(200)
                .body("meta.versionId", equalTo("1")).body("name[0].family", equalTo("Owner"));
    }

    @Test
    void theOwnMatchIsUpdatedInPlace() {
        String sourceId = FhirFixtures.uniqueId("CMU");
        String id = fhirAs("rio-hv").body(FhirFixtures.patient(sourceId, null, "Same", "Ffion", "2022-01-02", "female", "LL57 1AA"))
                .put("/Patient?identifier=" + SOURCE + "|" + sourceId).then().statusCode(201).extract().jsonPath().getString("id");
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [%s]}
                """.formatted(conditionalPut(FhirFixtures.patient(sourceId, null, "Same", "Ffion Mai", "2022-01-02", "female", "LL57 1AA"), sourceId));
        fhirAs("rio-hv").body(bundle).post("").then().statusCode(200)
                .body("entry[0].response.status", startsWith("200"))
                .body("entry[0].resource.id", equalTo(id));
        fhirAs("rio-hv").get("/Patient/" + id).then().statusCode(200)
                .body("meta.versionId", equalTo("2")).body("name[0].given[0]", equalTo("Ffion Mai"));
        fhirAs("rio-hv").get("/Patient?identifier=" + SOURCE + "|" + sourceId + SOURCE_RECORDS_ONLY).then().body("total", equalTo(1));
    }
}
