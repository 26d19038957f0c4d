package org.childrensgateway.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.childrensgateway.search.SearchFixtures.CLIENT_SYSTEM;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;

/** {@code _summary=count}, {@code _elements}, and how bad parameters and values are answered. */
class SearchControlTest extends SearchTestBase {

    private String patient(String family, String gender) {
        return create("Patient", SearchFixtures.patient(family, "Child", "2022-01-01", gender, "NP4 6AB",
                CLIENT_SYSTEM + "|" + FhirFixtures.uniqueId("SC")));
    }

    private static String uniqueFamily() {
        return "Control" + FhirFixtures.uniqueId("F").replace("-", "");
    }

    @Test
    void summaryCountGivesTheTotalAndNoEntries() {
        String family = uniqueFamily();
        patient(family, "female");
        patient(family, "female");
        patient(family, "male");

        JsonPath all = get("Patient", "family:exact", family, "_summary", "count").then().statusCode(200).extract().jsonPath();
        assertThat(all.getString("resourceType")).isEqualTo("Bundle");
        assertThat(all.getInt("total")).isEqualTo(3);
        assertThat(all.getList("entry")).isNullOrEmpty();

        JsonPath male = get("Patient", "family:exact", family, "gender", "male", "_summary", "count").then().statusCode(200)
                .extract().jsonPath();
        assertThat(male.getInt("total")).isEqualTo(1);
        assertThat(male.getList("entry")).isNullOrEmpty();
    }

    @Test
    void elementsReturnsOnlyTheRequestedElementsMarkedSubsetted() {
        String id = patient(uniqueFamily(), "female");

        JsonPath bundle = get("Patient", "_id", id, "_elements", "name").then().statusCode(200).extract().jsonPath();
        Map<String, Object> resource = bundle.getMap("entry[0].resource");
        assertThat(resource).containsKeys("resourceType", "id", "name");
        assertThat(resource).doesNotContainKeys("birthDate", "gender", "address", "identifier");
        List<String> tags = bundle.getList("entry[0].resource.meta.tag.code");
        assertThat(tags).contains("SUBSETTED");

        // Without _elements the full resource, untagged.
        JsonPath full = get("Patient", "_id", id).then().statusCode(200).extract().jsonPath();
        assertThat(full.getMap("entry[0].resource")).containsKeys("birthDate", "gender", "address", "identifier");
        List<String> fullTags = full.getList("entry[0].resource.meta.tag.code");
        assertThat(fullTags == null ? List.of() : fullTags).doesNotContain("SUBSETTED");
    }

    @Test
    void unknownParameterIsRejectedNamingIt() {
        String id = patient(uniqueFamily(), "female");
        assertThat(outcome(get("Patient", "_id", id, "colour", "blue"), 400)).contains("colour");
        assertThat(outcome(get("Observation", "favourite", "x"), 400)).contains("favourite");
        assertThat(outcome(get("Observation", "patient.colour", "x"), 400)).contains("patient.colour");
    }

    @Test
    void lenientHandlingIgnoresUnknownParameters() {
        String family = uniqueFamily();
        String wanted = patient(family, "female");
        patient(family, "female");

        Response response = fhir().header("Prefer", "handling=lenient")
                .queryParam("_id", wanted).queryParam("colour", "blue").get("/Patient");
        assertThat(matchIds(bundle(response))).containsExactly(wanted);
    }

    @Test
    void invalidDateValuesAreRejected() {
        for (String value : List.of("not-a-date", "2023-13-01", "2023-02-30", "14/05/2023", "gt")) {
            assertThat(outcome(get("Patient", "birthdate", value), 400)).as(value).contains(value);
        }
        outcome(get("Observation", "date", "2023-05-99"), 400);
        outcome(get("Patient", "_lastUpdated", "gtyesterday"), 400);
        outcome(get("Patient", "birthdate", "xx2023"), 400);
    }
}
