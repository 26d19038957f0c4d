package org.childrensgateway.fhir;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.response.Response;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;

class CrudTest extends GatewayTestBase {

    @Test
    void createReadUpdateDeleteKeepsHistory() {
        String body = FhirFixtures.patient(FhirFixtures.uniqueId("C"), FhirFixtures.nhsNumber(), "Jones", "Amelia", "2023-05-14", "female", "NP4 6AB");
        Response created = fhir().body(body).post("/Patient");
        created.then().statusCode(201)
                .header("Location", containsString("/fhir/Patient/"))
                .header("ETag", equalTo("W/\"1\""))
                .header("Last-Modified", notNullValue());
        String id = created.jsonPath().getString("id");

        fhir().get("/Patient/" + id).then().statusCode(200).body("name[0].family", equalTo("Jones"))
                .body("meta.versionId", equalTo("1"));

        String updated = body.replace("\"Jones\"", "\"Jones-Price\"").replaceFirst("\\{\"resourceType\": \"Patient\",", "{\"resourceType\": \"Patient\", \"id\": \"" + id + "\",");
        fhir().body(updated).put("/Patient/" + id).then().statusCode(200).header("ETag", equalTo("W/\"2\""));
        fhir().get("/Patient/" + id + "/_history/1").then().statusCode(200).body("name[0].family", equalTo("Jones"));
        fhir().get("/Patient/" + id + "/_history/2").then().statusCode(200).body("name[0].family", equalTo("Jones-Price"));

        fhir().delete("/Patient/" + id).then().statusCode(200);
        fhir().get("/Patient/" + id).then().statusCode(410).body("resourceType", equalTo("OperationOutcome"));
        fhir().get("/Patient/" + id + "/_history").then().statusCode(200).body("total", equalTo(3))
                .body("entry[0].request.method", equalTo("DELETE"));
    }

    @Test
    void clientsCannotWriteTheGatewaysDerivedRecords() {
        // A client passing a record off as a child record would bypass validation and ownership.
        String forged = FhirFixtures.patient(FhirFixtures.uniqueId("F"), null, "Forged", "Child", "2024-01-01", "female", "NP4 6AB")
                .replaceFirst("\\{\"resourceType\": \"Patient\",", "{\"resourceType\": \"Patient\", \"meta\": {\"tag\": [{\"system\": "
                        + "\"https://fhir.childrens-gateway.uk/CodeSystem/record-kind\", \"code\": \"child-record\"}]},");
        fhir().body(forged).post("/Patient").then().statusCode(403).body("resourceType", equalTo("OperationOutcome"));
        fhir().body("{\"resourceType\": \"Bundle\", \"type\": \"transaction\", \"entry\": [{\"resource\": " + forged
                + ", \"request\": {\"method\": \"POST\", \"url\": \"Patient\"}}]}").post("").then().statusCode(403);
    }

    @Test
    void anElementTheServerWouldDropIsRefusedNotLost() {
        String id = FhirFixtures.uniqueId("U");
        String body = FhirFixtures.patient(id, FhirFixtures.nhsNumber(), "Unknown", "Element", "2023-05-14", "female", "NP4 6AB")
                .replaceFirst("\\{\"resourceType\": \"Patient\",", "{\"resourceType\": \"Patient\", \"favouriteColour\": \"blue\",");
        fhir().body(body).post("/Patient").then().statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("favouriteColour"));
        // The same inside a transaction: the whole Bundle is refused, nothing is stored.
        fhir().body("{\"resourceType\": \"Bundle\", \"type\": \"transaction\", \"entry\": [{\"resource\": " + body
                + ", \"request\": {\"method\": \"POST\", \"url\": \"Patient\"}}]}").post("").then().statusCode(400);
        fhir().queryParam("identifier", "https://fhir.childrens-gateway.uk/Id/test/client|" + id).get("/Patient")
                .then().statusCode(200).body("total", equalTo(0));
        // An element given twice where FHIR allows one would keep only one of them.
        String twice = FhirFixtures.patient(FhirFixtures.uniqueId("U"), FhirFixtures.nhsNumber(), "Twice", "Element", "2023-05-14", "female", "NP4 6AB")
                .replace("\"gender\": \"female\"", "\"gender\": [\"male\", \"female\"]");
        fhir().body(twice).post("/Patient").then().statusCode(400).body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void unknownResourceIs404WithOperationOutcome() {
        fhir().get("/Patient/does-not-exist").then().statusCode(404).body("resourceType", equalTo("OperationOutcome"));
    }
}
