package org.childrensgateway;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import org.childrensgateway.conformance.EmittedConformance;
import org.childrensgateway.conformance.EmittedConformanceConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * Base for tests against the running gateway over HTTP on a real embedded PostgreSQL. All test
 * classes share one application context (and one database), so tests create their own data with
 * unique identifiers rather than assuming an empty store.
 *
 * <p>Everything the gateway emits during a test class (FHIR responses, errors included, and every
 * resource it stores) is validated against FHIR R4, UK Core and the project profiles
 * ({@link EmittedConformance}); the class fails afterwards if any of it did not conform.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(EmittedConformanceConfiguration.class)
public abstract class GatewayTestBase {

    @LocalServerPort
    protected int port;

    /** The suite's own client; it owns what it writes, so tests see their own data. */
    protected static final String TEST_CLIENT = "gateway-tests";

    @BeforeEach
    void pointRestAssuredAtGateway() {
        RestAssured.reset();
        RestAssured.port = port;
        RestAssured.basePath = "";
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        // A test's own Authorization header replaces the suite's default token rather than adding a second one.
        RestAssured.config = RestAssured.config().headerConfig(io.restassured.config.HeaderConfig.headerConfig()
                .overwriteHeadersWithName("Authorization", "Accept"));
        RestAssured.requestSpecification = new RequestSpecBuilder().addHeader("Authorization", "Bearer " + token()).build();
    }

    @AfterAll
    static void everythingEmittedConformed() {
        List<String> errors = EmittedConformance.get().awaitAndDrain();
        System.out.println("Emitted-resource conformance: " + EmittedConformance.get().statistics());
        org.assertj.core.api.Assertions.assertThat(errors)
                .as("FHIR the gateway emitted that does not conform to R4 + UK Core + the project profiles"
                        + " (request -> resource @ location: message)")
                .isEmpty();
    }

    /** A bearer token for the suite's own client. */
    protected String token() {
        return Tokens.forClient(port, TEST_CLIENT, "test-secret");
    }

    /** A bearer token for one of the demo clients in application-test.yaml (secret = "demo-" + id). */
    protected String tokenFor(String clientId) {
        return Tokens.forClient(port, clientId, "demo-" + clientId);
    }

    /** The demo client of the organisation a feed is bound to: only it may push, replay or read that feed's jobs. */
    protected static String feedClient(String feed) {
        return switch (feed) {
            case "rio" -> "rio-hv";
            case "systmone" -> "systmone-gp";
            case "childrens-centre" -> "estart-centre";
            case "rio-west" -> "rio-west"; // the variant site the feed tests onboard (organisation RYW)
            default -> throw new IllegalArgumentException("no demo client for feed " + feed);
        };
    }

    /** A request as the feed's own organisation (for /ingest and /export). */
    protected RequestSpecification asFeed(String feed) {
        return RestAssured.given().header("Authorization", "Bearer " + tokenFor(feedClient(feed)));
    }

    /** A request as the given demo client. */
    protected RequestSpecification asClient(String clientId) {
        return RestAssured.given().header("Authorization", "Bearer " + tokenFor(clientId));
    }

    /** A FHIR request as the given demo client (JSON, UTF-8). */
    protected RequestSpecification fhirAs(String clientId) {
        return RestAssured.given().basePath("/fhir").contentType("application/fhir+json; charset=UTF-8").accept("application/fhir+json")
                .header("Authorization", "Bearer " + tokenFor(clientId));
    }

    /** Creates a resource as the given demo client and returns its id (asserting the 201). */
    protected String createAs(String clientId, String type, String json) {
        io.restassured.response.Response r = fhirAs(clientId).body(json).post("/" + type);
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).as("create %s: %s", type, r.asString()).isEqualTo(201);
        return r.jsonPath().getString("id");
    }

    protected String baseUrl() {
        return "http://localhost:" + port + "/fhir";
    }

    protected RequestSpecification fhir() {
        return RestAssured.given().basePath("/fhir").contentType("application/fhir+json").accept("application/fhir+json");
    }

    protected static final ContentType FHIR_JSON = ContentType.JSON;
}
