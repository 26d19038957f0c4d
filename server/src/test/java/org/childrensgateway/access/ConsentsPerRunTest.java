package org.childrensgateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;

/**
 * A count decides every match from its projection and reads the consents of all the children of a
 * run of matches in one statement. Many children in one run, each with a different consent state
 * (none, permit, refusal, withdrawn, expired, a permit beside a refusal): the count must be what
 * deciding each Observation on its own says (a read by id, which looks its child's consents up by
 * itself), and a consent read for one child must never stand for another's.
 */
class ConsentsPerRunTest extends GatewayTestBase {

    private static final int CHILDREN = 36;
    private static final String NEXT_YEAR = LocalDate.now().plusYears(1).toString();

    @Test
    void aCountOfManyChildrenSaysWhatEachMatchDecidedAloneSays() {
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < CHILDREN; i++) {
            patients.add(FhirFixtures.patient(FhirFixtures.uniqueId("CR"), FhirFixtures.nhsNumber(),
                    "Run" + i, "Count", "2024-03-0" + (1 + i % 9), i % 2 == 0 ? "female" : "male", "NP4 6AB"));
        }
        List<String> children = ids(transaction(patients, "Patient"));
        List<String> consents = new ArrayList<>();
        List<String> observations = new ArrayList<>();
        int permitted = 0;
        for (int i = 0; i < CHILDREN; i++) {
            String child = children.get(i);
            int state = i % 6;
            switch (state) {
                case 0 -> consents.add(consent(child, "active", "permit", NEXT_YEAR));
                case 1 -> { } // none: hidden from other organisations
                case 2 -> consents.add(consent(child, "active", "deny", NEXT_YEAR));
                case 3 -> consents.add(consent(child, "inactive", "permit", NEXT_YEAR)); // withdrawn
                case 4 -> {
                    // Both dated the same day, the permit recorded first: the refusal is respected.
                    consents.add(consent(child, "active", "permit", NEXT_YEAR));
                    consents.add(consent(child, "active", "deny", NEXT_YEAR));
                }
                default -> consents.add(consent(child, "active", "permit", "2026-02-01")); // expired
            }
            permitted += state == 0 ? 2 : 0;
            for (int k = 0; k < 2; k++) {
                observations.add(FhirFixtures.observation("Patient/" + child, "27113001", "2026-10-1" + k + "T09:00:00Z", 9 + i / 10.0));
            }
        }
        transaction(consents, "Consent");
        List<String> observationIds = ids(transaction(observations, "Observation"));
        String search = "/Observation?subject=" + String.join(",", children.stream().map(c -> "Patient/" + c).toList());

        int readable = 0;
        for (String id : observationIds) {
            int status = fhirAs("rio-hv").get("/Observation/" + id).then().extract().statusCode();
            assertThat(status).isIn(200, 404);
            readable += status == 200 ? 1 : 0;
        }
        assertThat(readable).as("only the children with a standing permit are shared").isEqualTo(permitted);

        int counted = fhirAs("rio-hv").get(search + "&_summary=count").then().statusCode(200).extract().jsonPath().getInt("total");
        assertThat(counted).as("_summary=count: one consent read per run of matches").isEqualTo(readable);
        int listed = fhirAs("rio-hv").get(search + "&_count=200").then().statusCode(200).extract().jsonPath().getList("entry").size();
        assertThat(listed).as("the search lists what a read shows").isEqualTo(readable);
        int own = fhirAs("systmone-gp").get(search + "&_summary=count").then().statusCode(200).extract().jsonPath().getInt("total");
        assertThat(own).as("the recorder counts all its own").isEqualTo(2 * CHILDREN);
    }

    private JsonPath transaction(List<String> resources, String type) {
        List<String> entries = resources.stream()
                .map(r -> "{\"resource\":" + r + ",\"request\":{\"method\":\"POST\",\"url\":\"" + type + "\"}}").toList();
        return fhirAs("systmone-gp").body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + String.join(",", entries) + "]}")
                .post("/").then().statusCode(200).extract().jsonPath();
    }

    private static List<String> ids(JsonPath response) {
        return response.getList("entry.response.location", String.class).stream().map(l -> l.split("/")[1]).toList();
    }

    private static String consent(String child, String status, String type, String end) {
        return FhirFixtures.consent(child, status, type, "2026-01-01", end, List.of("EY", "GP"));
    }
}
