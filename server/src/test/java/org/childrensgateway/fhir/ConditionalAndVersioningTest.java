package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;

class ConditionalAndVersioningTest extends GatewayTestBase {

    private static final String SOURCE = "https://fhir.childrens-gateway.uk/Id/test/client";
    /** Leaves out the child record the person index derives from each Patient. */
    private static final String SOURCE_RECORDS_ONLY = "&_tag:not=https://fhir.childrens-gateway.uk/CodeSystem/record-kind|";

    @Test
    void conditionalCreateIsIdempotent() {
        String sourceId = FhirFixtures.uniqueId("CC");
        String body = FhirFixtures.patient(sourceId, null, "Evans", "Cai", "2024-01-02", "male", "CF10 1AA");
        String first = fhir().header("If-None-Exist", "identifier=" + SOURCE + "|" + sourceId).body(body)
                .post("/Patient").then().statusCode(201).extract().jsonPath().getString("id");
        Response again = fhir().header("If-None-Exist", "identifier=" + SOURCE + "|" + sourceId).body(body).post("/Patient");
        again.then().statusCode(200);
        assertThat(again.jsonPath().getString("id")).isEqualTo(first);
        fhir().get("/Patient?identifier=" + SOURCE + "|" + sourceId + SOURCE_RECORDS_ONLY).then().body("total", equalTo(1));
    }

    @Test
    void conditionalUpdateCreatesThenUpdatesTheSameResource() {
        String sourceId = FhirFixtures.uniqueId("CU");
        String url = "/Patient?identifier=" + SOURCE + "|" + sourceId;
        String body = FhirFixtures.patient(sourceId, null, "Price", "Nia", "2023-03-04", "female", "NP4 6AB");
        String id = fhir().body(body).put(url).then().statusCode(201).extract().jsonPath().getString("id");
        fhir().body(body.replace("Nia", "Nia Mai")).put(url).then().statusCode(200)
                .body("id", equalTo(id)).body("meta.versionId", equalTo("2"));
        // An identical re-send is a no-op: no new version, so re-sent extracts don't pile up history.
        fhir().body(body.replace("Nia", "Nia Mai")).put(url).then().statusCode(200).body("meta.versionId", equalTo("2"));
    }

    @Test
    void ifMatchWithStaleVersionIs412() {
        String sourceId = FhirFixtures.uniqueId("IM");
        String id = createPatient(sourceId);
        String v2 = withId(FhirFixtures.patient(sourceId, null, "Hughes", "Osian Rhys", "2022-02-02", "male", "LL57 1AA"), id);
        fhir().header("If-Match", "W/\"1\"").body(v2).put("/Patient/" + id).then().statusCode(200).header("ETag", equalTo("W/\"2\""));
        fhir().header("If-Match", "W/\"1\"").body(v2.replace("Osian", "Osi")).put("/Patient/" + id).then().statusCode(412)
                .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void concurrentUpdatesWithTheSameIfMatchHaveExactlyOneWinner() throws Exception {
        String sourceId = FhirFixtures.uniqueId("RACE");
        String id = createPatient(sourceId);
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String given = "Writer" + i;
            Callable<Integer> call = () -> {
                start.await();
                return fhir().header("If-Match", "W/\"1\"")
                        .body(withId(FhirFixtures.patient(sourceId, null, "Race", given, "2022-02-02", "male", "LL57 1AA"), id))
                        .put("/Patient/" + id).statusCode();
            };
            results.add(pool.submit(call));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : results) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s != 200).allMatch(s -> s == 412 || s == 409);
        fhir().get("/Patient/" + id).then().body("meta.versionId", equalTo("2"));
    }

    @Test
    void preferHeaderControlsTheResponseBody() {
        String body = FhirFixtures.patient(FhirFixtures.uniqueId("PR"), null, "Morgan", "Ela", "2023-07-07", "female", "SA1 1AA");
        fhir().header("Prefer", "return=minimal").body(body).post("/Patient").then().statusCode(201)
                .header("Location", containsString("/Patient/")).body(equalTo(""));
        fhir().header("Prefer", "return=OperationOutcome").body(body).post("/Patient").then().statusCode(201)
                .body("resourceType", equalTo("OperationOutcome"));
        fhir().header("Prefer", "return=representation").body(body).post("/Patient").then().statusCode(201)
                .body("resourceType", equalTo("Patient"));
    }

    @Test
    void badInputGivesOperationOutcomesWithTheRightStatus() {
        fhir().body("{\"resourceType\": \"Patient\", \"birthDate\": ").post("/Patient").then().statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"));
        // Profile violation: a child Patient needs a birth date.
        fhir().body("{\"resourceType\": \"Patient\", \"name\": [{\"family\": \"NoDob\"}]}").post("/Patient").then().statusCode(422)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue.expression.flatten()", hasItem(containsString("Patient")));
        // An NHS number failing the modulus-11 check is refused with a message that does not echo it.
        Response bad = fhir().body(FhirFixtures.patient(FhirFixtures.uniqueId("NHS"), "9434765918", "Bad", "Check", "2023-01-01", "male", "CF10 1AA"))
                .post("/Patient");
        bad.then().statusCode(422).body("issue.diagnostics", hasItem(containsString("modulus-11")));
        assertThat(bad.asString()).doesNotContain("9434765918");
    }

    private String createPatient(String sourceId) {
        return fhir().body(FhirFixtures.patient(sourceId, null, "Hughes", "Osian", "2022-02-02", "male", "LL57 1AA"))
                .post("/Patient").then().statusCode(201).extract().jsonPath().getString("id");
    }

    static String withId(String body, String id) {
        return body.replaceFirst("\\{\"resourceType\": \"Patient\",", "{\"resourceType\": \"Patient\", \"id\": \"" + id + "\",");
    }
}
