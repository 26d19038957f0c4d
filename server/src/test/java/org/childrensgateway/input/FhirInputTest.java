package org.childrensgateway.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;

/** FHIR input the parser would silently change is refused with a 400 OperationOutcome naming the element. */
class FhirInputTest extends GatewayTestBase {

    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";

    @Test
    void duplicateJsonKeysAreRefused() {
        fhir().body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Dup\"}],\"birthDate\":\"2024-01-01\",\"birthDate\":\"2023-02-02\"}")
                .post("/Patient").then().statusCode(400).body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("Patient.birthDate"));
        fhir().body("{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + NHS + "\",\"value\":\"9434765919\",\"value\":\"9434765870\"}],"
                        + "\"name\":[{\"family\":\"Dup\"}],\"birthDate\":\"2024-01-01\"}")
                .post("/Patient").then().statusCode(400).body("issue[0].diagnostics", containsString("Patient.identifier[0].value"));
    }

    @Test
    void nulAndLoneSurrogatesInJsonStringsAreRefused() {
        fhir().body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Nul\\u0000\"}],\"birthDate\":\"2024-01-01\"}")
                .post("/Patient").then().statusCode(400).body("issue[0].diagnostics", containsString("Patient.name[0].family"));
        fhir().body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Sur\\ud800\"}],\"birthDate\":\"2024-01-01\"}")
                .post("/Patient").then().statusCode(400).body("issue[0].diagnostics", containsString("lone surrogate"));
    }

    @Test
    void jsonKeysAndValuesTheParserFailsOnOrDropsAreRefused() {
        // An empty key made HAPI's parser throw (a 500, found by FuzzTest); the others, and empty strings, it dropped without a word.
        fhir().body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Empty\",\"\":\"x\"}],\"birthDate\":\"2024-01-01\"}")
                .post("/Patient").then().statusCode(400).body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", containsString("Patient.name[0]"));
        fhir().body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\","
                        + "\"\":{}},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}")
                .post("/").then().statusCode(400).body("issue[0].diagnostics", containsString("Bundle.entry[0].resource"));
        for (String extra : new String[] {"\"_\":{\"id\":\"kept\"}", "\"__\":{}", "\"_resourceType\":{\"id\":\"kept\"}",
            "\"fhir_comments\":[\"kept\"]", "\"name\":[{\"family\":\"Under\",\"resourceType\":\"kept\"}]",
            "\"name\":[{\"family\":\"\"}]", "\"gender\":\"\"", "\"gender\":null"}) {
            fhir().body("{\"resourceType\":\"Patient\"," + extra + ",\"birthDate\":\"2024-01-01\"}")
                    .post("/Patient").then().statusCode(400).body("resourceType", equalTo("OperationOutcome"));
        }
    }

    @Test
    void invalidUtf8IsRefusedNotReplaced() {
        byte[] body = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Bad#\"}],\"birthDate\":\"2024-01-01\"}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '#') {
                body[i] = (byte) 0xC3; // a lead byte with no continuation
            }
        }
        fhir().body(body).post("/Patient").then().statusCode(400).body("issue[0].diagnostics", containsString("UTF-8"));
    }

    @Test
    void aTransactionEntryWithAProblemIsNamedByItsPath() {
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\","
                + "\"name\":[{\"family\":\"Tx\"}],\"birthDate\":\"2024-01-01\",\"gender\":\"female\",\"gender\":\"male\"},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}";
        fhir().body(bundle).post("").then().statusCode(400).body("issue[0].diagnostics", containsString("Bundle.entry[0].resource.gender"));
    }

    @Test
    void xmlWithADoctypeOrAnEmptyValueIsRefused() {
        io.restassured.RestAssured.given().basePath("/fhir").contentType("application/fhir+xml").accept("application/fhir+json")
                .body("<?xml version=\"1.0\"?><!DOCTYPE Patient [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + "<Patient xmlns=\"http://hl7.org/fhir\"><birthDate value=\"2024-01-01\"/></Patient>")
                .post("/Patient").then().statusCode(400).body("issue[0].diagnostics", containsString("DOCTYPE"));
        io.restassured.RestAssured.given().basePath("/fhir").contentType("application/fhir+xml").accept("application/fhir+json")
                .body("<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"\"/></name><birthDate value=\"2024-01-01\"/></Patient>")
                .post("/Patient").then().statusCode(400).body("issue[0].diagnostics", containsString("Patient.name.family"));
    }

    @Test
    void ordinaryUnicodeIsStoredExactly() {
        String family = "Ng\u00f4-\u00c9mile\ud83d\ude00";
        // FHIR bodies are UTF-8 (RestAssured would send a String as ISO-8859-1, which is now refused, not mangled).
        String id = fhir().contentType("application/fhir+json; charset=UTF-8")
                .body(("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}],\"birthDate\":\"2024-01-01\"}")
                        .getBytes(StandardCharsets.UTF_8))
                .post("/Patient").then().statusCode(201).extract().jsonPath().getString("id");
        assertThat(fhir().get("/Patient/" + id).then().statusCode(200).extract().jsonPath().getString("name[0].family")).isEqualTo(family);
    }
}
