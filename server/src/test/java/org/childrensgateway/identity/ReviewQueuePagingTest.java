package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;

/** The review queue pages by id (afterId), like the quarantine listing, so a queue of any length can be read in full. */
class ReviewQueuePagingTest extends GatewayTestBase {

    private static final int PAGE = 50;

    @Test
    void theReviewQueueCanBeReadInFullAPageAtATime() {
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String family = ChildRecordConstraintTest.uniqueFamily();
            // A year of its own per pair, so the pairs (whose made-up surnames sound alike) never meet.
            String year = Integer.toString(2011 + i);
            create(FhirFixtures.patient(FhirFixtures.uniqueId("RQ"), null, family, "William", year + "-04-09", "male", "NP4 6AB"));
            // Nickname, day and month transposed, moved house: between the thresholds, so a review task.
            sources.add(create(FhirFixtures.patient(FhirFixtures.uniqueId("RQ"), null, family, "Bill", year + "-09-04", "male", "LL11 2BB")));
        }
        List<Long> seenIds = new ArrayList<>();
        List<String> seenSources = new ArrayList<>();
        long afterId = 0;
        for (int page = 0; page < 10_000; page++) {
            io.restassured.path.json.JsonPath body = asClient("data-quality").get("/identity/reviews?limit=" + PAGE + "&afterId=" + afterId).then()
                    .statusCode(200).extract().jsonPath();
            List<Long> ids = body.getList("id", Long.class);
            assertThat(ids).hasSizeLessThanOrEqualTo(PAGE).isSorted();
            if (ids.isEmpty()) {
                break;
            }
            assertThat(ids.get(0)).isGreaterThan(afterId);
            seenIds.addAll(ids);
            seenSources.addAll(body.getList("sourceId", String.class));
            afterId = ids.get(ids.size() - 1);
        }
        assertThat(seenIds).doesNotHaveDuplicates();
        assertThat(seenSources).containsAll(sources);
    }

    private String create(String json) {
        return fhir().contentType("application/fhir+json; charset=UTF-8").body(json).post("/Patient").then().statusCode(201)
                .extract().jsonPath().getString("id");
    }
}
