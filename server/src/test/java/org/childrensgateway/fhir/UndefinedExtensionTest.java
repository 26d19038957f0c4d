package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own extensions are served with the other conformance resources; an extension no
 * loaded definition describes is refused on every write path (422 naming the extension), while
 * UK Core, core FHIR and the gateway's own extensions are accepted.
 */
class UndefinedExtensionTest extends GatewayTestBase {

    private static final String UNKNOWN = "https://fhir.example.net/StructureDefinition/shoe-size";

    private static String child() {
        return FhirFixtures.patient(FhirFixtures.uniqueId("EXT"), FhirFixtures.nhsNumber(), "Extension", "Test", "2024-02-02",
                "female", "NP4 6AB");
    }

    /** The child Patient with {@code json} added at its top level. */
    private static String childWith(String json) {
        return child().replaceFirst("\\{\"resourceType\": \"Patient\",", "{\"resourceType\": \"Patient\", " + json + ",");
    }

    private static void assertRefused(Response r, String url) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(422);
        assertThat(r.jsonPath().getString("resourceType")).isEqualTo("OperationOutcome");
        assertThat(r.asString()).contains(url);
    }

    @Test
    void theGatewaysOwnExtensionsAreServed() {
        for (String id : new String[] {"Extension-ParentalResponsibility", "Extension-ConsentRecordedBy"}) {
            var sd = fhir().get("/StructureDefinition/" + id).then().statusCode(200).extract().jsonPath();
            assertThat(sd.getString("type")).isEqualTo("Extension");
            assertThat(sd.getString("url")).isEqualTo("https://fhir.childrens-gateway.uk/StructureDefinition/" + id);
            assertThat(sd.getList("context.expression")).isNotEmpty();
        }
        assertThat(fhir().get("/StructureDefinition?url=https://fhir.childrens-gateway.uk/StructureDefinition/"
                + "Extension-ParentalResponsibility").then().statusCode(200).extract().jsonPath().getInt("total")).isEqualTo(1);
    }

    @Test
    void anUnknownExtensionIsRefusedOnCreate() {
        assertRefused(fhir().body(childWith("\"extension\": [{\"url\": \"" + UNKNOWN + "\", \"valueString\": \"4\"}]"))
                .post("/Patient"), UNKNOWN);
    }

    @Test
    void anUnknownModifierExtensionIsRefused() {
        assertRefused(fhir().body(childWith("\"modifierExtension\": [{\"url\": \"" + UNKNOWN + "\", \"valueBoolean\": true}]"))
                .post("/Patient"), UNKNOWN);
    }

    @Test
    void anUnknownExtensionOnAPrimitiveIsRefused() {
        String body = child().replace("\"birthDate\": \"2024-02-02\"",
                "\"birthDate\": \"2024-02-02\", \"_birthDate\": {\"extension\": [{\"url\": \"" + UNKNOWN + "\", \"valueString\": \"approx\"}]}");
        assertThat(body).contains("_birthDate");
        Response r = fhir().body(body).post("/Patient");
        assertRefused(r, UNKNOWN);
        assertThat(r.asString()).contains("Patient.birthDate.extension");
    }

    @Test
    void anUnknownExtensionNestedInAKnownOneIsRefused() {
        // core's complex patient-nationality extension, with a part nobody defined
        String nationality = "\"extension\": [{\"url\": \"http://hl7.org/fhir/StructureDefinition/patient-nationality\", \"extension\": ["
                + "{\"url\": \"code\", \"valueCodeableConcept\": {\"coding\": [{\"system\": \"urn:iso:std:iso:3166\", \"code\": \"GB\"}]}},"
                + " {\"url\": \"%s\", \"valueString\": \"x\"}]}]";
        assertRefused(fhir().body(childWith(nationality.formatted(UNKNOWN))).post("/Patient"), UNKNOWN);
        assertRefused(fhir().body(childWith(nationality.formatted("shoeSize"))).post("/Patient"), "shoeSize");
        Response known = fhir().body(childWith(nationality.formatted("period").replace("\"valueString\": \"x\"",
                "\"valuePeriod\": {\"start\": \"2024-02-02\"}"))).post("/Patient");
        assertThat(known.statusCode()).as(known.asString()).isEqualTo(201);
    }

    @Test
    void anExampleOrgExtensionIsRefusedThoughHapiWouldLetItThrough() {
        String url = "http://example.org/StructureDefinition/anything";
        assertRefused(fhir().body(childWith("\"extension\": [{\"url\": \"" + url + "\", \"valueString\": \"x\"}]")).post("/Patient"), url);
    }

    @Test
    void anUnknownExtensionIsRefusedOnUpdateAndNothingChanges() {
        String id = fhir().body(child()).post("/Patient").then().statusCode(201).extract().jsonPath().getString("id");
        String current = fhir().get("/Patient/" + id).then().statusCode(200).extract().asString();
        String changed = current.replaceFirst("\\{\\s*\"resourceType\"\\s*:\\s*\"Patient\"\\s*,",
                "{\"resourceType\": \"Patient\", \"extension\": [{\"url\": \"" + UNKNOWN + "\", \"valueString\": \"4\"}],");
        assertThat(changed).contains(UNKNOWN);
        assertRefused(fhir().body(changed).put("/Patient/" + id), UNKNOWN);
        assertThat(fhir().get("/Patient/" + id).then().statusCode(200).extract().jsonPath().getString("meta.versionId")).isEqualTo("1");
    }

    @Test
    void anUnknownExtensionInATransactionRefusesTheWholeTransaction() {
        String good = child();
        String bad = childWith("\"extension\": [{\"url\": \"" + UNKNOWN + "\", \"valueString\": \"4\"}]");
        Response r = fhir().body("""
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                 {"fullUrl": "urn:uuid:21111111-1111-1111-1111-111111111111", "resource": %s, "request": {"method": "POST", "url": "Patient"}},
                 {"fullUrl": "urn:uuid:21111111-1111-1111-1111-111111111112", "resource": %s, "request": {"method": "POST", "url": "Patient"}}]}
                """.formatted(good, bad)).post("");
        assertRefused(r, UNKNOWN);
    }

    @Test
    void anUnknownExtensionInABatchEntryIsRefusedForThatEntry() {
        String bad = childWith("\"extension\": [{\"url\": \"" + UNKNOWN + "\", \"valueString\": \"4\"}]");
        Response r = fhir().body("""
                {"resourceType": "Bundle", "type": "batch", "entry": [
                 {"resource": %s, "request": {"method": "POST", "url": "Patient"}}]}""".formatted(bad)).post("");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.jsonPath().getString("entry[0].response.status")).startsWith("422");
        assertThat(r.asString()).contains(UNKNOWN);
    }

    @Test
    void ukCoreCoreAndGatewayExtensionsAreAccepted() {
        String patient = childWith("""
                "extension": [{"url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory",
                  "valueCodeableConcept": {"coding": [{"system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland", "code": "A"}]}},
                 {"url": "http://hl7.org/fhir/StructureDefinition/patient-birthPlace", "valueAddress": {"city": "Newport"}}]""");
        String id = fhir().body(patient).post("/Patient").then().statusCode(201).extract().jsonPath().getString("id");
        fhir().body("""
                {"resourceType": "RelatedPerson", "patient": {"reference": "Patient/%s"},
                 "extension": [{"url": "https://fhir.childrens-gateway.uk/StructureDefinition/Extension-ParentalResponsibility", "valueBoolean": true}],
                 "relationship": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "MTH"}]}],
                 "name": [{"family": "Extension", "given": ["Parent"]}]}""".formatted(id)).post("/RelatedPerson").then().statusCode(201);
        // ...but the parental-responsibility extension is a carer's, with a boolean value
        Response wrongType = fhir().body("""
                {"resourceType": "RelatedPerson", "patient": {"reference": "Patient/%s"},
                 "extension": [{"url": "https://fhir.childrens-gateway.uk/StructureDefinition/Extension-ParentalResponsibility", "valueString": "yes"}],
                 "relationship": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "MTH"}]}]}""".formatted(id))
                .post("/RelatedPerson");
        assertThat(wrongType.statusCode()).isEqualTo(422);
    }
}
