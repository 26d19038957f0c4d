package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;

/**
 * Manual link and unlink over HTTP: a wrong link followed by an unlink restores both child records
 * exactly (resources and links) and each source record's data follows it; the review queue accepts
 * and rejects possible matches.
 */
class IdentityLinkTest extends GatewayTestBase {

    /** A surname no other test uses (letters only, so it behaves like a name). */
    private static String uniqueFamily() {
        String digits = FhirFixtures.uniqueId("").substring(1);
        StringBuilder s = new StringBuilder("Pryd");
        for (char c : digits.toCharArray()) {
            s.append((char) ('a' + (c - '0')));
        }
        return s.toString();
    }

    private String create(String json) {
        return fhir().contentType("application/fhir+json; charset=UTF-8").body(json).post("/Patient").then().statusCode(201)
                .extract().jsonPath().getString("id");
    }

    private String patient(String nhs, String family, String given, String dob, String gender, String postcode) {
        return create(FhirFixtures.patient(FhirFixtures.uniqueId("LNK"), nhs, family, given, dob, gender, postcode));
    }

    private String childOf(String sourceId) {
        List<String> ids = fhir().get("/Patient?link=Patient/" + sourceId + "&_tag=" + IdentitySampleTest.CHILD_TAG)
                .then().statusCode(200).extract().jsonPath().getList("entry.resource.id", String.class);
        assertThat(ids).hasSize(1);
        return ids.get(0);
    }

    /** The resource without meta (version and time change on every write; the content must not). */
    private Map<String, Object> content(String childId) {
        Map<String, Object> body = fhir().get("/Patient/" + childId).then().statusCode(200).extract().jsonPath().getMap("");
        body.remove("meta");
        return body;
    }

    private List<String> sources(String childId) {
        return asClient("data-quality").get("/identity/children/" + childId).then().statusCode(200).extract().jsonPath()
                .getList("sources", String.class);
    }

    private int observations(String patientId) {
        return fhir().get("/Observation?patient=" + patientId).then().statusCode(200).extract().jsonPath().getInt("total");
    }

    @Test
    void unlinkAfterAWrongLinkRestoresBothChildRecordsExactly() {
        String family = uniqueFamily();
        String nhsA = FhirFixtures.nhsNumber();
        String a1 = patient(nhsA, family, "Harri", "2022-03-03", "male", "NP4 6AB");
        String a2 = patient(nhsA, family, "Harry", "2022-03-03", "male", "NP4 6AB");
        String otherFamily = uniqueFamily();
        String nhsB = FhirFixtures.nhsNumber();
        String b1 = patient(nhsB, otherFamily, "Nia", "2021-07-07", "female", "CF10 1AA");
        String b2 = patient(nhsB, otherFamily, "Nia", "2021-07-07", "female", "CF10 1AA");
        String lone = patient(null, uniqueFamily(), "Osian", "2020-01-09", "male", "SA1 1AA");
        fhir().body(FhirFixtures.observation("Patient/" + b1, "27113001", "2025-01-10T10:00:00Z", 9.5)).post("/Observation")
                .then().statusCode(201);

        String childA = childOf(a1);
        String childB = childOf(b1);
        String childLone = childOf(lone);
        assertThat(childOf(a2)).isEqualTo(childA);
        assertThat(childOf(b2)).isEqualTo(childB);
        Map<String, Object> beforeA = content(childA);
        Map<String, Object> beforeB = content(childB);
        Map<String, Object> beforeLone = content(childLone);
        assertThat(observations(childB)).isEqualTo(1);

        // Wrong links: one of B's records and the lone record go into A.
        link("/identity/link", b1, childA);
        link("/identity/link", lone, childA);
        assertThat(sources(childA)).containsExactlyInAnyOrder(a1, a2, b1, lone);
        assertThat(sources(childB)).containsExactly(b2);
        fhir().get("/Patient/" + childLone).then().statusCode(410); // emptied, so deleted; history keeps it
        assertThat(observations(childA)).isEqualTo(1);
        assertThat(observations(childB)).isZero();

        // Unlink: each record goes back where it was, with its data.
        link("/identity/unlink", b1, childA).body("sourceNowIn", org.hamcrest.Matchers.equalTo(childB));
        link("/identity/unlink", lone, childA).body("sourceNowIn", org.hamcrest.Matchers.equalTo(childLone));
        assertThat(sources(childA)).containsExactlyInAnyOrder(a1, a2);
        assertThat(sources(childB)).containsExactlyInAnyOrder(b1, b2);
        assertThat(sources(childLone)).containsExactly(lone);
        assertThat(content(childA)).isEqualTo(beforeA);
        assertThat(content(childB)).isEqualTo(beforeB);
        assertThat(content(childLone)).isEqualTo(beforeLone);
        assertThat(observations(childB)).isEqualTo(1);
        assertThat(observations(childA)).isZero();

        // Nothing is lost: the history shows the wrong link, who ended it, and the rejection.
        JsonPath history = asClient("data-quality").get("/identity/children/" + childA).then().statusCode(200).extract().jsonPath();
        assertThat(history.getList("links.findAll { it.sourceId == '" + b1 + "' }.status", String.class)).contains("linked", "rejected");
        assertThat(history.getList("links.findAll { it.sourceId == '" + b1 + "' && it.status == 'linked' }.endReason", String.class))
                .containsExactly("unlinked");

        // The rejection holds: a later update of the record does not re-link it to A.
        fhir().contentType("application/fhir+json; charset=UTF-8")
                .body(fhir().get("/Patient/" + b1).then().extract().asString().replace("CF10 1AA", "CF10 1AB")).put("/Patient/" + b1)
                .then().statusCode(200);
        assertThat(sources(childB)).contains(b1);
    }

    @Test
    void unlinkingTheOnlyRecordIsRefused() {
        String lone = patient(null, uniqueFamily(), "Gethin", "2020-02-02", "male", "SA1 1AA");
        link("/identity/unlink", lone, childOf(lone), 400);
    }

    @Test
    void aPossibleMatchGoesToReviewAndCanBeAcceptedOrRejected() {
        String family = uniqueFamily();
        String first = patient(null, family, "William", "2021-04-09", "male", "NP4 6AB");
        // Nickname, day and month transposed, moved house: between the thresholds.
        String second = patient(null, family, "Bill", "2021-09-04", "male", "LL11 2BB");
        String childFirst = childOf(first);
        String childSecond = childOf(second);
        assertThat(childSecond).isNotEqualTo(childFirst);
        Map<String, Object> review = reviewFor(second);
        assertThat(((Number) review.get("score")).doubleValue()).isBetween(8.0, 20.0);
        JsonPath detail = asClient("data-quality").get("/identity/reviews/" + review.get("id")).then().statusCode(200).extract().jsonPath();
        assertThat(detail.getString("source.sourceId")).isEqualTo(second);
        assertThat(detail.getList("candidateRecords.sourceId", String.class)).containsExactly(first);
        assertThat(detail.getList("review.evidence.field", String.class)).contains("given", "birthDate", "postcode");

        asClient("data-quality").post("/identity/reviews/" + review.get("id") + "/accept").then().statusCode(200);
        assertThat(childOf(second)).isEqualTo(childFirst);
        assertThat(sources(childFirst)).containsExactlyInAnyOrder(first, second);
        fhir().get("/Patient/" + childSecond).then().statusCode(410);

        String third = patient(null, family, "Billy", "2021-04-19", "male", "SA9 9ZZ");
        Map<String, Object> again = reviewFor(third);
        asClient("data-quality").post("/identity/reviews/" + again.get("id") + "/reject").then().statusCode(200);
        assertThat(childOf(third)).isNotEqualTo(childFirst);
        asClient("data-quality").post("/identity/reviews/" + again.get("id") + "/reject").then().statusCode(400);
    }

    private Map<String, Object> reviewFor(String sourceId) {
        List<Map<String, Object>> open = asClient("data-quality").get("/identity/reviews?limit=1000").then().statusCode(200).extract()
                .jsonPath().getList("findAll { it.sourceId == '" + sourceId + "' }");
        assertThat(open).as("open review for the record").hasSize(1);
        return open.get(0);
    }

    private io.restassured.response.ValidatableResponse link(String path, String source, String child) {
        return link(path, source, child, 200);
    }

    private io.restassured.response.ValidatableResponse link(String path, String source, String child, int status) {
        return asClient("data-quality").contentType("application/json").body(Map.of("source", "Patient/" + source, "child", child))
                .post(path).then().statusCode(status);
    }
}
