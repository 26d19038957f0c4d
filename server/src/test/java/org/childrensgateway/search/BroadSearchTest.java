package org.childrensgateway.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;

/**
 * A search matching more than one chunk of resources (500) is listed by key and decided chunk by
 * chunk, the first chunk from the rows the search already loaded: the total counts exactly what
 * the caller may see, hidden matches are left out wherever they fall, and paging lists each
 * visible match once.
 */
class BroadSearchTest extends GatewayTestBase {

    private static final int VISIBLE = 520;
    private static final int HIDDEN = 30;

    @Test
    void aSearchOverMoreThanAChunkDecidesEveryMatchAndCountsOnlyWhatTheCallerMaySee() {
        String child = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("BS"), FhirFixtures.nhsNumber(),
                "Broad", "Search", "2024-05-05", "male", "NP4 6AB"));
        createAs("systmone-gp", "Consent", FhirFixtures.consent(child, "active", "permit", "2026-01-01",
                LocalDate.now().plusYears(1).toString(), List.of("EY", "GP")));
        String hiddenChild = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("BS"), FhirFixtures.nhsNumber(),
                "Unshared", "Search", "2024-05-06", "female", "NP4 6AB")); // no Consent: hidden from other organisations
        List<String> entries = new ArrayList<>();
        int hidden = 0;
        for (int i = 0; i < VISIBLE + HIDDEN; i++) {
            // Hidden ones interleaved, so they fall in the first chunk and in the second.
            boolean hide = i % 18 == 5 && hidden < HIDDEN;
            hidden += hide ? 1 : 0;
            String subject = hide ? hiddenChild : child;
            entries.add("{\"fullUrl\":\"urn:uuid:" + java.util.UUID.randomUUID() + "\",\"resource\":"
                    + FhirFixtures.observation("Patient/" + subject, "27113001", "2026-10-10T10:30:00Z", 30 + i / 1000.0) // values no other test looks for
                    + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
        }
        assertThat(hidden).isEqualTo(HIDDEN);
        fhirAs("systmone-gp")
                .body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + String.join(",", entries) + "]}")
                .post("/").then().statusCode(200);
        JsonPath own = fhirAs("systmone-gp").get("/Observation?subject=Patient/" + child + ",Patient/" + hiddenChild + "&_count=1")
                .then().statusCode(200).extract().jsonPath();
        assertThat(own.getInt("total")).as("the recorder sees all its own").isEqualTo(VISIBLE + HIDDEN);

        String first = "/Observation?subject=Patient/" + child + ",Patient/" + hiddenChild + "&_count=200";
        JsonPath page = fhirAs("rio-hv").get(first).then().statusCode(200).extract().jsonPath();
        assertThat(page.getInt("total")).as("another organisation: only the consented child's").isEqualTo(VISIBLE);
        Set<String> seen = new HashSet<>();
        int pages = 0;
        while (true) {
            pages++;
            assertThat(page.getList("entry.resource.subject.reference", String.class)).containsOnly("Patient/" + child);
            for (String id : page.getList("entry.resource.id", String.class)) {
                assertThat(seen.add(id)).as("listed once: " + id).isTrue();
            }
            String next = page.getString("link.find { it.relation == 'next' }.url");
            if (next == null) {
                break;
            }
            page = fhirAs("rio-hv").get(next.substring(next.indexOf("/fhir") + "/fhir".length())).then().statusCode(200).extract().jsonPath();
        }
        assertThat(seen).hasSize(VISIBLE);
        assertThat(pages).isEqualTo(3);
    }
}
