package org.childrensgateway.security;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.restassured.RestAssured;
import java.time.Instant;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every API call needs a valid token from the configured issuer; scopes decide the interactions. */
class TokenCheckTest extends GatewayTestBase {

    private static final String KEY = "src/test/resources/security/test-signing-jwks.json";
    private static final String ROGUE = "src/test/resources/security/rogue-jwks.json";

    @ParameterizedTest
    @ValueSource(strings = {"/fhir/Patient", "/ingest/quarantine", "/export/rio/assessments"})
    void noTokenIs401WithWwwAuthenticate(String path) {
        RestAssured.given().header("Authorization", "").get(path).then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("resourceType", equalTo("OperationOutcome"));
    }

    /** Every read path refuses every kind of bad token the same way: 401, nothing disclosed. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> badTokensOnEveryPath() throws Exception {
        java.util.Map<String, String> tokens = new java.util.LinkedHashMap<>();
        tokens.put("none", "");
        tokens.put("expired", "Bearer " + TestTokens.signedBy(KEY).expires(Instant.now().minusSeconds(300)).build());
        tokens.put("unknown issuer", "Bearer " + TestTokens.signedBy(KEY).issuer("https://someone-else.example").build());
        tokens.put("wrong audience", "Bearer " + TestTokens.signedBy(KEY).audience("another-api").build());
        tokens.put("rogue signature", "Bearer " + TestTokens.signedBy(ROGUE).build());
        java.util.List<String> paths = java.util.List.of("/fhir/Patient/p1", "/fhir/Patient/p1/_history/1", "/fhir/Patient?_count=1",
                "/fhir/Observation?patient.identifier=x|y&_include=Observation:subject", "/fhir/Patient/p1/_history",
                "/fhir/Patient/p1/$everything", "/fhir/Patient/p1/$services", "/fhir/AuditEvent", "/export/rio/assessments",
                "/ingest/quarantine", "/identity/reviews", "/notifications/break-glass");
        java.util.List<org.junit.jupiter.params.provider.Arguments> cases = new java.util.ArrayList<>();
        tokens.forEach((kind, header) -> paths.forEach(path -> cases.add(org.junit.jupiter.params.provider.Arguments.of(kind, path, header))));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} token on {1}")
    @org.junit.jupiter.params.provider.MethodSource("badTokensOnEveryPath")
    void badTokensAreRefusedOnEveryPath(String kind, String path, String header) {
        RestAssured.given().header("Authorization", header).urlEncodingEnabled(true).get(path).then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
    }

    @Test
    void aWellFormedTokenFromTheIssuerIsAccepted() throws Exception {
        String token = TestTokens.signedBy(KEY).build();
        RestAssured.given().header("Authorization", "Bearer " + token).get("/fhir/Patient?_count=1").then().statusCode(200);
    }

    @Test
    void expiredTokenIs401() throws Exception {
        String token = TestTokens.signedBy(KEY).expires(Instant.now().minusSeconds(300)).build();
        RestAssured.given().header("Authorization", "Bearer " + token).get("/fhir/Patient").then().statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"));
    }

    @Test
    void notYetValidTokenIs401() throws Exception {
        String token = TestTokens.signedBy(KEY).notBefore(Instant.now().plusSeconds(600)).build();
        RestAssured.given().header("Authorization", "Bearer " + token).get("/fhir/Patient").then().statusCode(401);
    }

    @Test
    void unknownIssuerIs401() throws Exception {
        String token = TestTokens.signedBy(KEY).issuer("https://someone-else.example").build();
        RestAssured.given().header("Authorization", "Bearer " + token).get("/fhir/Patient").then().statusCode(401);
    }

    @Test
    void rogueSignatureIs401() throws Exception {
        String token = TestTokens.signedBy(ROGUE).build();
        RestAssured.given().header("Authorization", "Bearer " + token).get("/fhir/Patient").then().statusCode(401);
    }

    @Test
    void wrongAudienceIs401() throws Exception {
        String token = TestTokens.signedBy(KEY).audience("another-api").build();
        RestAssured.given().header("Authorization", "Bearer " + token).get("/fhir/Patient").then().statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"));
    }

    @Test
    void insufficientScopeIs403OperationOutcome() {
        String token = tokenFor("patient-reader"); // system/Patient.rs only
        RestAssured.given().header("Authorization", "Bearer " + token).get("/fhir/Patient?_count=1").then().statusCode(200);
        RestAssured.given().header("Authorization", "Bearer " + token).get("/fhir/Observation").then().statusCode(403)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue.diagnostics", hasItem(containsString("Observation")));
        RestAssured.given().header("Authorization", "Bearer " + token).contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"X\"}],\"birthDate\":\"2024-01-01\"}")
                .post("/fhir/Patient").then().statusCode(403);
    }

    @Test
    void metadataAndSmartConfigurationArePublic() {
        RestAssured.given().header("Authorization", "").get("/fhir/metadata").then().statusCode(200);
        RestAssured.given().header("Authorization", "").get("/.well-known/smart-configuration").then().statusCode(200)
                .body("token_endpoint", containsString("/oauth2/token"))
                .body("capabilities", hasItem("permission-v2"));
    }
}
