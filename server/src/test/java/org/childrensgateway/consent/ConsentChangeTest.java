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

    /**
     * Every path of the read mix (read, identifier search, subject search, {@code $everything}) is
     * decided by the Consent as it is now: changing whom it names, letting its review date pass,
     * granting again and deleting it each decide the very next request, though every version read
     * before is cached.
     */
    @Test
    void aChangedOrDeletedConsentDecidesTheVeryNextRequestOnEveryPath() {
        String client = FhirFixtures.uniqueId("CCX");
        String child = createAs(GP, "Patient", FhirFixtures.patient(client, FhirFixtures.nhsNumber(), "Changed", "Child", "2024-05-05", "male", "NP4 6AB"));
        String obs = createAs(GP, "Observation", FhirFixtures.observation("Patient/" + child, "27113001", "2026-10-10T10:30:00Z", 10.1));
        String today = LocalDate.now().toString();
        String inAYear = LocalDate.now().plusYears(1).toString();
        String consent = createAs(GP, "Consent", FhirFixtures.consent(child, "active", "permit", "2026-01-01", inAYear, List.of("HV")));
        assertEveryPath(child, client, obs, true);

        put(consent, FhirFixtures.consent(child, "active", "permit", "2026-01-01", inAYear, List.of("GP", "CC")));
        assertEveryPath(child, client, obs, false);

        put(consent, FhirFixtures.consent(child, "active", "permit", "2026-01-01", inAYear, List.of("EY")));
        assertEveryPath(child, client, obs, true);

        put(consent, FhirFixtures.consent(child, "active", "permit", "2025-01-01", LocalDate.now().minusDays(1).toString(), List.of("EY")));
        assertEveryPath(child, client, obs, false);

        put(consent, FhirFixtures.consent(child, "active", "permit", today, inAYear, List.of("HV")));
        assertEveryPath(child, client, obs, true);

        // Naming organisations: only those named are covered, whatever kinds of team it also names.
        put(consent, naming(FhirFixtures.consent(child, "active", "permit", today, inAYear, List.of("RYW", "HV")), "RYW"));
        assertEveryPath(child, client, obs, false);
        put(consent, naming(FhirFixtures.consent(child, "active", "permit", today, inAYear, List.of("RX9", "HV")), "RX9"));
        assertEveryPath(child, client, obs, true);

        fhirAs(GP).delete("/Consent/" + consent).then().statusCode(org.hamcrest.Matchers.oneOf(200, 204));
        assertEveryPath(child, client, obs, false);
    }

    private void assertEveryPath(String child, String client, String obs, boolean visible) {
        assertVisibleToHv(child, obs, visible);
        Response read = fhirAs(HV).get("/Patient/" + child);
        assertThat(read.statusCode()).as("read Patient").isEqualTo(visible ? 200 : 404);
        // The child record (composed from the sources the caller may see) carries the source's identifier too.
        Response byIdentifier = fhirAs(HV).get("/Patient?identifier=https://fhir.childrens-gateway.uk/Id/test/client|" + client);
        List<String> found = byIdentifier.jsonPath().getList("entry.resource.id");
        if (visible) {
            assertThat(found).as("identifier search").contains(child);
        } else {
            assertThat(byIdentifier.jsonPath().getInt("total")).as("identifier search").isZero();
        }
        Response everything = fhirAs(HV).get("/Patient/" + child + "/$everything");
        if (visible) {
            assertThat(everything.statusCode()).as("$everything").isEqualTo(200);
            assertThat(everything.jsonPath().getList("entry.resource.id")).as("$everything").contains(child, obs);
        } else {
            List<String> ids = everything.statusCode() == 200 ? everything.jsonPath().getList("entry.resource.id") : List.of();
            assertThat(ids == null ? List.<String>of() : ids).as("$everything").doesNotContain(child, obs);
        }
    }

    /** The fixture's consent with {@code organisation} named as a recipient by its ODS code instead of as a kind of team. */
    private static String naming(String consent, String organisation) {
        String asScope = "\"system\": \"https://fhir.childrens-gateway.uk/CodeSystem/consent-scope\", \"value\": \"" + organisation + "\"";
        assertThat(consent).contains(asScope);
        return consent.replace(asScope, "\"system\": \"https://fhir.nhs.uk/Id/ods-organization-code\", \"value\": \"" + organisation + "\"");
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
