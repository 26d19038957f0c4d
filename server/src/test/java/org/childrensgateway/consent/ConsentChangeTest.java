package org.childrensgateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;

/**
 * Consent directives are cached per Consent version; which Consents apply to a child is not. A
 * withdrawal, a re-grant or a new refusal decides the very next read by another organisation.
 */
class ConsentChangeTest extends GatewayTestBase {

    private static final String GP = "systmone-gp";
    private static final String HV = "rio-hv";

    @Test
    void aWithdrawalAndARegrantTakeEffectAtOnce() {
        String child = createAs(GP, "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("CC"), FhirFixtures.nhsNumber(),
                "Changing", "Child", "2024-04-04", "female", "NP4 6AB"));
        String obs = createAs(GP, "Observation", FhirFixtures.observation("Patient/" + child, "27113001", "2026-10-10T10:30:00Z", 11.2));
        String inAYear = LocalDate.now().plusYears(1).toString();
        String consent = createAs(GP, "Consent", FhirFixtures.consent(child, "active", "permit", "2026-01-01", inAYear, List.of("EY", "GP")));
        assertVisibleToHv(child, obs, true);

        put(consent, FhirFixtures.consent(child, "inactive", "permit", "2026-01-01", LocalDate.now().toString(), List.of("EY", "GP")));
        assertVisibleToHv(child, obs, false);

        put(consent, FhirFixtures.consent(child, "active", "permit", LocalDate.now().toString(), inAYear, List.of("EY", "GP")));
        assertVisibleToHv(child, obs, true);

        // A new Consent (a later refusal) counts at once too, though the grant's version is already known.
        createAs(GP, "Consent", FhirFixtures.consent(child, "active", "deny", LocalDate.now().plusDays(1).toString(), null, List.of()));
        assertVisibleToHv(child, obs, false);
    }

    private void put(String id, String consent) {
        String json = consent.replace("{\"resourceType\": \"Consent\",", "{\"resourceType\": \"Consent\", \"id\": \"" + id + "\",");
        Response r = fhirAs(GP).body(json).put("/Consent/" + id);
        assertThat(r.statusCode()).as("update consent: %s", r.asString()).isEqualTo(200);
    }

    private void assertVisibleToHv(String child, String obs, boolean visible) {
        Response read = fhirAs(HV).get("/Observation/" + obs);
        assertThat(read.statusCode()).as("read").isEqualTo(visible ? 200 : 404);
        if (!visible) {
            // Hidden answers exactly as missing.
            Response missing = fhirAs(HV).get("/Observation/no-such-" + obs);
            assertThat(read.jsonPath().getString("issue[0].code")).isEqualTo(missing.jsonPath().getString("issue[0].code"));
        }
        Response search = fhirAs(HV).get("/Observation?subject=Patient/" + child);
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.jsonPath().getInt("total")).as("search").isEqualTo(visible ? 1 : 0);
    }
}
