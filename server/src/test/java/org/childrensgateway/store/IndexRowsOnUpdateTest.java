package org.childrensgateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A new version keeps the index rows it shares with the previous one and replaces only the rest
 * (PostgresResourceStore.write). Whatever the versions in between, a resource's index rows must be
 * exactly those a fresh write of the same content gets, and searches must find the current values
 * only.
 */
class IndexRowsOnUpdateTest extends GatewayTestBase {

    private static final List<String> TABLES = List.of(
            "select name || '|' || coalesce(system, '<null>') || '|' || code from sp_token",
            "select name || '|' || value_norm || '|' || value_exact from sp_string",
            "select name || '|' || low || '|' || high from sp_date",
            "select name || '|' || target_type || '|' || target_id from sp_reference");

    @Autowired
    private JdbcClient jdbc;

    @Test
    void anUpdatedResourceHasTheIndexRowsOfAFreshWriteOfTheSameContent() {
        String sourceId = FhirFixtures.uniqueId("IX");
        String first = FhirFixtures.patient(sourceId, FhirFixtures.nhsNumber(), "Alpha", "Ann", "2024-01-01", "female", "CF10 1AA");
        String id = createAs("rio-hv", "Patient", first);
        // Changes a string, a date and a token; keeps the identifiers and the rest.
        String second = FhirFixtures.patient(sourceId, null, "Beta", "Ann", "2024-02-02", "male", "CF10 1AA")
                .replace("{\"resourceType\": \"Patient\",", "{\"resourceType\": \"Patient\", \"id\": \"" + id + "\",");
        fhirAs("rio-hv").body(second).put("/Patient/" + id).then().statusCode(200);
        // And back to part of the first (a value that was deleted comes back).
        String third = FhirFixtures.patient(sourceId, null, "Alpha", "Ann", "2024-02-02", "male", "CF10 1AA")
                .replace("{\"resourceType\": \"Patient\",", "{\"resourceType\": \"Patient\", \"id\": \"" + id + "\",");
        fhirAs("rio-hv").body(third).put("/Patient/" + id).then().statusCode(200);

        String fresh = createAs("rio-hv", "Patient", FhirFixtures.patient(sourceId + "F", null, "Alpha", "Ann", "2024-02-02", "male", "CF10 1AA"));
        for (String table : TABLES) {
            List<String> updated = rows(table, id);
            List<String> expected = rows(table, fresh).stream().map(r -> r.replace(sourceId + "F", sourceId)).toList();
            assertThat(updated).as(table).containsExactlyInAnyOrderElementsOf(expected);
        }
        fhirAs("rio-hv").get("/Patient?_id=" + id + "&family=Beta").then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(0));
        fhirAs("rio-hv").get("/Patient?_id=" + id + "&family=Alpha").then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(1));
        fhirAs("rio-hv").get("/Patient?_id=" + id + "&birthdate=2024-01-01").then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(0));
        fhirAs("rio-hv").get("/Patient?_id=" + id + "&birthdate=2024-02-02").then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(1));
        fhirAs("rio-hv").get("/Patient?_id=" + id + "&gender=female").then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(0));
    }

    private List<String> rows(String select, String id) {
        return jdbc.sql(select + " where pid = (select pid from resource where res_type = 'Patient' and res_id = ?)")
                .param(id).query(String.class).list();
    }
}
