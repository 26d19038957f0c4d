package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;

/** What a stock FHIR or SMART client meets first: discovery where SMART says, conformant Bundles, clear errors. */
class FirstContactTest extends GatewayTestBase {

    @Test
    void smartDiscoveryIsPublicAtTheFhirBaseAndAdvertisesBackendServicesOnly() {
        JsonPath d = RestAssured.given().header("Authorization", "").get("/fhir/.well-known/smart-configuration").then().statusCode(200)
                .extract().jsonPath();
        assertThat(d.getString("token_endpoint")).endsWith("/oauth2/token");
        assertThat(d.getList("token_endpoint_auth_methods_supported", String.class)).containsExactly("private_key_jwt");
        assertThat(d.getList("capabilities", String.class)).contains("client-confidential-asymmetric")
                .doesNotContain("client-confidential-symmetric");
        RestAssured.given().header("Authorization", "").get("/.well-known/smart-configuration").then().statusCode(200)
                .body("capabilities", not(hasItem("client-confidential-symmetric")));
    }

    @Test
    void theCapabilityStatementSaysHowToAuthenticate() {
        JsonPath cs = RestAssured.given().header("Authorization", "").accept("application/fhir+json").get("/fhir/metadata").then()
                .statusCode(200).extract().jsonPath();
        assertThat(cs.getString("rest[0].security.service[0].coding[0].code")).isEqualTo("SMART-on-FHIR");
    }

    @Test
    void everythingIsASearchsetAndTransactionResponsesHaveAbsoluteFullUrls() {
        String body = FhirFixtures.patient(FhirFixtures.uniqueId("FC"), FhirFixtures.nhsNumber(), "First", "Contact", "2024-01-01",
                "female", "NP4 6AB");
        JsonPath tx = fhir().body("""
                {"resourceType": "Bundle", "type": "transaction", "entry": [{"fullUrl": "urn:uuid:11111111-1111-1111-1111-111111111111",
                 "resource": %s, "request": {"method": "POST", "url": "Patient"}}]}""".formatted(body)).post("").then().statusCode(200)
                .extract().jsonPath();
        String fullUrl = tx.getString("entry[0].fullUrl");
        assertThat(fullUrl).startsWith("http://").contains("/fhir/Patient/");
        String id = fullUrl.substring(fullUrl.lastIndexOf('/') + 1);
        fhir().get("/Patient/" + id + "/$everything").then().statusCode(200)
                .body("type", org.hamcrest.Matchers.equalTo("searchset"));
    }

    @Test
    void aDeleteWithNeitherIdNorCriteriaIsABadRequest() {
        fhir().delete("/Patient").then().statusCode(400).body("resourceType", org.hamcrest.Matchers.equalTo("OperationOutcome"));
    }

    @Test
    void theProfilesTheGatewayNamesCanBeFetched() {
        JsonPath sd = fhir().get("/StructureDefinition/ChildPatient").then().statusCode(200).extract().jsonPath();
        String url = sd.getString("url");
        assertThat(url).contains("ChildPatient");
        assertThat(fhir().get("/StructureDefinition?url=" + url).then().statusCode(200).extract().jsonPath().getInt("total")).isEqualTo(1);
        fhir().get("/ConceptMap/systmone-local-codes").then().statusCode(200);
        fhir().get("/StructureDefinition/NoSuchProfile").then().statusCode(404);
    }
}
