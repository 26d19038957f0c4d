package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code POST /identity/rematch} over HTTP: only the data-quality desk may run it; it keeps what
 * people decided (a manual link) and the links the records support, with their child record ids.
 * That it makes the result the same in every arrival order is shown on the population
 * ({@code PopulationLinkageTest}).
 */
class BatchRematchTest extends GatewayTestBase {

    @Autowired
    private JdbcClient jdbc;

    @Test
    void theBatchRematchKeepsPeoplesDecisionsAndSupportedLinksAndIsTheDataQualityDesksAlone() {
        String nhs = FhirFixtures.nhsNumber();
        String family = ChildRecordConstraintTest.uniqueFamily();
        String rio = createAs("rio-hv", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("RM1"), nhs, family, "Nia", "2025-01-01",
                "female", "NP4 6AB"));
        String gp = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("RM2"), nhs, family, "Nia", "2025-01-01",
                "female", "NP4 6AB"));
        String child = childOf(rio);
        assertThat(childOf(gp)).isEqualTo(child);
        // Another child, put into this child record by a person (a decision the re-match must keep).
        String other = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("RM3"), FhirFixtures.nhsNumber(),
                ChildRecordConstraintTest.uniqueFamily(), "Ifan", "2023-02-02", "male", "CF10 1AA"));
        asClient("data-quality").contentType("application/json").body(Map.of("source", "Patient/" + other, "child", child))
                .post("/identity/link").then().statusCode(200);

        for (String client : List.of("rio-hv", "systmone-gp", "estart-centre", "la-social-care", "ig-auditor", "integration")) {
            asClient(client).post("/identity/rematch").then().statusCode(403);
        }
        io.restassured.RestAssured.given().header("Authorization", "").post("/identity/rematch").then().statusCode(401);

        String request = asClient("data-quality").post("/identity/rematch").then().statusCode(200)
                .body("changedChildRecords", org.hamcrest.Matchers.greaterThanOrEqualTo(0)).extract().header("X-Request-ID");
        assertThat(childOf(rio)).isEqualTo(child);
        assertThat(childOf(gp)).as("the NHS number still links them, under the same child record").isEqualTo(child);
        assertThat(childOf(other)).as("a person's manual link is kept").isEqualTo(child);
        assertThat(fhirAs("systmone-gp").get("/Patient/" + child).then().statusCode(200).extract().jsonPath()
                .getList("link.other.reference", String.class)).contains("Patient/" + gp, "Patient/" + other);
        assertThat(jdbc.sql("select count(*) from resource where res_type = 'AuditEvent' and content::text like ?")
                .param("%" + request + "%").query(Long.class).single()).as("the re-match is audited").isEqualTo(1);
    }

    private String childOf(String source) {
        return jdbc.sql("select child_id from person_link where pool = 'Patient' and source_id = ? and ended is null and status = 'linked'")
                .param(source).query(String.class).single();
    }
}
