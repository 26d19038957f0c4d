package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.restassured.path.json.JsonPath;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.profiles.ProfileUrls;
import org.childrensgateway.profiles.compiled.CompiledProfiles;
import org.childrensgateway.profiles.compiled.Verdict;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * How writes are validated: a resource the compiled profile checks accept is stored without HAPI's
 * element walk; one with an error is refused with HAPI's own message and location; {@code $validate}
 * always runs HAPI and so still reports its warnings.
 */
class WriteValidationTest extends GatewayTestBase {

    @Autowired
    CompiledProfiles compiled;

    @Autowired
    FhirContext context;

    private Verdict verdict(String json, String profile) {
        compiled.warmUp(); // normally done in the background after start-up; waits for it here
        IBaseResource resource = context.newJsonParser().parseResource(json);
        return compiled.check(resource, profile);
    }

    @Autowired
    io.micrometer.core.instrument.MeterRegistry registry;

    private double writesBy(String path) {
        var counter = registry.find("gateway.validation.writes").tag("path", path).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String child(String birthDate) {
        return FhirFixtures.patient(FhirFixtures.uniqueId("WV"), FhirFixtures.nhsNumber(), "Validation", "Test", birthDate, "female",
                "NP4 6AB");
    }

    @Test
    void aResourceTheCompiledChecksAcceptIsStored() {
        String patient = child("2024-04-04");
        assertThat(verdict(patient, ProfileUrls.CHILD_PATIENT).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        double before = writesBy("compiled");
        String id = createAs(TEST_CLIENT, "Patient", patient);
        assertThat(writesBy("compiled")).as("decided by the compiled checks, not HAPI").isGreaterThan(before);
        assertThat(fhir().get("/Patient/" + id).then().statusCode(200).extract().jsonPath().getString("birthDate")).isEqualTo("2024-04-04");
    }

    @Test
    void aResourceWithAnErrorIsRefusedWithHapisMessage() {
        String noBirthDate = child("2024-04-04").replace("\"birthDate\": \"2024-04-04\",", "");
        assertThat(verdict(noBirthDate, ProfileUrls.CHILD_PATIENT).kind()).isNotEqualTo(Verdict.Kind.ACCEPT);
        double before = writesBy("hapi");
        JsonPath refused = fhir().body(noBirthDate).post("/Patient").then().statusCode(422).extract().jsonPath();
        assertThat(writesBy("hapi")).as("decided by HAPI").isGreaterThan(before);
        assertThat(refused.getString("issue[0].severity")).isEqualTo("error");
        assertThat(refused.getString("issue[0].diagnostics")).contains("Patient.birthDate").contains("minimum required = 1");
        assertThat(refused.getString("issue[0].expression[0]")).isEqualTo("Patient");
    }

    @Test
    void validateStillReportsHapisWarningsForAResourceAWriteAccepts() {
        String patientRef = "Patient/" + createAs(TEST_CLIENT, "Patient", child("2024-05-05"));
        // A gateway code system the validator does not hold: HAPI warns, and nothing in it is an error.
        String observation = FhirFixtures.observation(patientRef, "27113001", "2025-01-10T10:30:00Z", 9.9)
                .replace("\"vital-signs\"}]}]", "\"vital-signs\"}]}, {\"coding\": [{\"system\": "
                        + "\"https://fhir.childrens-gateway.uk/CodeSystem/not-held-here\", \"code\": \"x\"}]}]");
        assertThat(verdict(observation, ProfileUrls.CHILD_OBSERVATION).kind()).isEqualTo(Verdict.Kind.ACCEPT);
        JsonPath validated = fhir().body(observation).post("/Observation/$validate").then().statusCode(200).extract().jsonPath();
        assertThat(validated.getList("issue.severity", String.class)).contains("warning").doesNotContain("error", "fatal");
        createAs(TEST_CLIENT, "Observation", observation);
    }
}
