package org.childrensgateway.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;

/**
 * The emitted-conformance check itself: it catches what does not conform (so a green suite means
 * something), and it sees responses of every kind.
 */
class EmittedConformanceTest extends GatewayTestBase {

    private static List<String> check(String json) {
        return EmittedConformance.get().checkNow("test", json);
    }

    @Test
    void aCollectionBundleWithATotalAndRelativeFullUrlsIsCaught() {
        List<String> errors = check("""
                {"resourceType": "Bundle", "type": "collection", "total": 1, "entry": [{"fullUrl": "Patient/1",
                 "resource": {"resourceType": "Patient", "id": "1", "name": [{"family": "Test"}], "birthDate": "2024-01-01"}}]}""");
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("bdl-1"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("fullUrl"));
    }

    @Test
    void anAuditEventWithAPurposeOfUseThatIsNoActReasonIsCaught() {
        List<String> errors = check("""
                {"resourceType": "AuditEvent", "type": {"system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest"},
                 "recorded": "2025-01-01T10:00:00Z", "purposeOfEvent": [{"coding": [{"system":
                 "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "AUDIT"}]}],
                 "agent": [{"requestor": true, "who": {"display": "x"}}], "source": {"observer": {"display": "gw"}}}""");
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("AUDIT"));
    }

    @Test
    void anUndefinedExtensionAndAProfileViolationAreCaught() {
        assertThat(check("""
                {"resourceType": "Patient", "extension": [{"url": "http://example.org/StructureDefinition/x", "valueString": "y"}],
                 "name": [{"family": "Test"}], "birthDate": "2024-01-01"}""")).anySatisfy(e -> assertThat(e).contains("example.org"));
        assertThat(check("""
                {"resourceType": "Patient", "name": [{"family": "Test"}]}""")).as("a child Patient needs a birth date")
                .anySatisfy(e -> assertThat(e).contains("Patient.birthDate"));
    }

    @Test
    void growthObservationsConformToTheVitalSignsProfileTheyClaim() {
        List<String> errors = check("""
                {"resourceType": "Observation", "status": "final",
                 "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"}]}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
                 "subject": {"reference": "Patient/1"}, "effectiveDateTime": "2025-01-10T10:30:00Z",
                 "valueQuantity": {"value": 12.4, "unit": "kg"}}""");
        assertThat(errors).as("a vital sign without a UCUM code is caught").isNotEmpty();
    }

    @Test
    void aBadBodyGoesThroughTheQueueAndFailsTheDrainThatGatewayTestBaseAsserts() {
        EmittedConformance.get().submit("deliberate bad emission", """
                {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"resourceType": "Observation"}}]}""");
        List<String> drained = EmittedConformance.get().awaitAndDrain();
        assertThat(drained).anySatisfy(e -> assertThat(e).startsWith("deliberate bad emission -> "));
        // anything else drained here was real: it must still fail this class
        assertThat(drained.stream().filter(e -> !e.startsWith("deliberate bad emission"))).isEmpty();
    }

    @Test
    void errorsOfNonFhirRoutesAndFhirErrorsAreCapturedToo() {
        Response missing = fhir().get("/Patient/does-not-exist-" + System.nanoTime());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(EmittedConformance.get().statistics()).contains("emitted bodies");
    }
}
