package org.childrensgateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;

/**
 * What one source records of a child (here a restriction: adoption, refuge) holds for every
 * source's record of that child, from the very next request: the gate reads it from the child
 * record the source Patient is linked into (the link and the record's row in one statement).
 */
class ChildStateAcrossSourcesTest extends GatewayTestBase {

    private static final String GP = "systmone-gp";
    private static final String HV = "rio-hv";
    private static final String RESTRICTED = "\"meta\": {\"security\": [{\"system\": \"" + ChildFacts.CONFIDENTIALITY + "\", \"code\": \"R\"}]},";

    @Test
    void aRestrictionAnotherSourceRecordsWithholdsTheAddressOfEverySourceFromTheNextRequest() {
        String nhs = FhirFixtures.nhsNumber();
        String family = "Across" + FhirFixtures.uniqueId("F").replace("-", "");
        String rio = createAs(HV, "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("AX"), nhs, family, "Cerys", "2025-02-02", "female", "NP4 6AB"));
        createAs(HV, "Consent", FhirFixtures.consent(rio, "active", "permit", LocalDate.now().minusDays(1).toString(),
                LocalDate.now().plusYears(1).toString(), List.of("GP")));
        String gpJson = FhirFixtures.patient(FhirFixtures.uniqueId("AXGP"), nhs, family, "Cerys", "2025-02-02", "female", "CF10 1AA");
        String gp = createAs(GP, "Patient", gpJson);
        assertAddressShownToGp(rio, true);

        put(gp, gpJson.replace("{\"resourceType\": \"Patient\",", "{\"resourceType\": \"Patient\", \"id\": \"" + gp + "\", " + RESTRICTED));
        assertAddressShownToGp(rio, false);
        assertThat(fhirAs(HV).get("/Patient/" + rio).asString()).as("the recorder still sees its own record's address").contains("NP4 6AB");

        put(gp, gpJson.replace("{\"resourceType\": \"Patient\",", "{\"resourceType\": \"Patient\", \"id\": \"" + gp + "\","));
        assertAddressShownToGp(rio, true);
    }

    private void assertAddressShownToGp(String rio, boolean shown) {
        for (String path : List.of("/Patient/" + rio, "/Patient?_id=" + rio, "/Patient/" + rio + "/$everything")) {
            Response r = fhirAs(GP).get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.asString()).as(path).contains("Cerys");
            if (shown) {
                assertThat(r.asString()).as(path + ": the address").contains("NP4 6AB");
            } else {
                assertThat(r.asString()).as(path + ": a restricted child's address").doesNotContain("NP4 6AB");
            }
        }
    }

    private void put(String id, String json) {
        Response r = fhirAs(GP).body(json).put("/Patient/" + id);
        assertThat(r.statusCode()).as("update: %s", r.asString()).isEqualTo(200);
    }
}
