package org.childrensgateway;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Base for tests against the running gateway over HTTP on a real embedded PostgreSQL. All test
 * classes share one application context (and one database), so tests create their own data with
 * unique identifiers rather than assuming an empty store.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class GatewayTest {

    @LocalServerPort
    protected int port;

    @BeforeEach
    void pointRestAssuredAtGateway() {
        RestAssured.port = port;
        RestAssured.basePath = "";
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    protected String baseUrl() {
        return "http://localhost:" + port + "/fhir";
    }

    protected RequestSpecification fhir() {
        return RestAssured.given().basePath("/fhir").contentType("application/fhir+json").accept("application/fhir+json");
    }

    protected static final ContentType FHIR_JSON = ContentType.JSON;
}
