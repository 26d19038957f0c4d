package org.childrensgateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SMART App Launch 2 backend services at the development issuer's token endpoint, with assertions
 * built by Nimbus JOSE: the standard request (no {@code client_id}) with RS384 and with ES384 is
 * accepted; every hostile or sloppy assertion in the table is refused as an OAuth 2.0 error; a
 * client may ask for less than it is registered for, and gets (and may use) only that.
 */
class BackendServicesTest extends GatewayTestBase {

    private String tokenEndpoint;

    @BeforeEach
    void discover() {
        RestAssured.requestSpecification = null; // the token endpoint gets no bearer token
        tokenEndpoint = RestAssured.given().get("/fhir/.well-known/smart-configuration").then().statusCode(200)
                .extract().jsonPath().getString("token_endpoint");
    }

    private RequestSpecification form() {
        return RestAssured.given().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    }

    private Response request(String assertion, String scope) {
        return form().formParam("client_assertion", assertion).formParam("scope", scope).post(tokenEndpoint);
    }

    @Test
    void theStandardRequestWithRs384AndWithEs384GetsAToken() throws Exception {
        assertThat(tokenEndpoint).isEqualTo("http://localhost:" + port + "/oauth2/token");
        for (String assertion : List.of(BackendClientKeys.rs384(BackendClientKeys.claims(tokenEndpoint).build()),
                BackendClientKeys.es384(BackendClientKeys.claims(tokenEndpoint).build()))) {
            Response r = request(assertion, "system/Patient.rs");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            assertThat(r.jsonPath().getString("token_type")).isEqualToIgnoringCase("Bearer");
            assertThat(r.jsonPath().getString("scope")).isEqualTo("system/Patient.rs");
            RestAssured.given().header("Authorization", "Bearer " + r.jsonPath().getString("access_token"))
                    .get("/fhir/Patient?_count=1").then().statusCode(200);
        }
    }

    @Test
    void aClientIdThatAgreesWithTheAssertionIsAlsoAccepted() throws Exception {
        form().formParam("client_id", BackendClientKeys.CLIENT)
                .formParam("client_assertion", BackendClientKeys.rs384(BackendClientKeys.claims(tokenEndpoint).build()))
                .formParam("scope", "system/Patient.rs").post(tokenEndpoint).then().statusCode(200);
    }

    @Test
    void aReplayedAssertionIsRefused() throws Exception {
        String assertion = BackendClientKeys.es384(BackendClientKeys.claims(tokenEndpoint).build());
        request(assertion, "system/Patient.rs").then().statusCode(200);
        Response again = request(assertion, "system/Patient.rs");
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(again.jsonPath().getString("error")).isEqualTo("invalid_client");
        assertThat(again.jsonPath().getString("error_description")).contains("jti");
    }

    /** Hostile or sloppy assertions: each is refused with the OAuth error named, and no token. */
    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("wrong aud (the FHIR base)", (Case) e -> BackendClientKeys.rs384(
                        BackendClientKeys.claims(e).audience(e.replace("/oauth2/token", "/fhir")).build()), "invalid_client", "aud"),
                Arguments.of("wrong aud (the issuer)", (Case) e -> BackendClientKeys.rs384(
                        BackendClientKeys.claims(e).audience(TestTokens.ISSUER).build()), "invalid_client", "aud"),
                Arguments.of("expired", (Case) e -> BackendClientKeys.rs384(
                        BackendClientKeys.claims(e).expirationTime(Date.from(Instant.now().minusSeconds(120))).build()), "invalid_client", "expired"),
                Arguments.of("exp more than five minutes ahead", (Case) e -> BackendClientKeys.es384(
                        BackendClientKeys.claims(e).expirationTime(Date.from(Instant.now().plusSeconds(600))).build()), "invalid_client", "five minutes"),
                Arguments.of("no exp", (Case) e -> BackendClientKeys.rs384(
                        BackendClientKeys.claims(e).expirationTime(null).build()), "invalid_client", "exp"),
                Arguments.of("not yet valid", (Case) e -> BackendClientKeys.rs384(
                        BackendClientKeys.claims(e).notBeforeTime(Date.from(Instant.now().plusSeconds(200))).build()), "invalid_client", "nbf"),
                Arguments.of("no jti", (Case) e -> BackendClientKeys.rs384(
                        BackendClientKeys.claims(e).jwtID(null).build()), "invalid_client", "jti"),
                Arguments.of("unknown kid", (Case) e -> BackendClientKeys.sign(JWSAlgorithm.RS384, "no-such-key",
                        BackendClientKeys.claims(e).build()), "invalid_client", "kid"),
                Arguments.of("no kid", (Case) e -> {
                    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS384), BackendClientKeys.claims(e).build());
                    jwt.sign(new RSASSASigner(BackendClientKeys.rsa()));
                    return jwt.serialize();
                }, "invalid_client", "kid"),
                Arguments.of("the registered kid, a stranger's key", (Case) e -> {
                    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(BackendClientKeys.RS_KID).build(),
                            BackendClientKeys.claims(e).build());
                    jwt.sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()));
                    return jwt.serialize();
                }, "invalid_client", "signature"),
                Arguments.of("ES384 claimed with the RSA key's kid", (Case) e -> {
                    String good = BackendClientKeys.es384(BackendClientKeys.claims(e).build());
                    return retitle(good, "{\"alg\":\"ES384\",\"kid\":\"" + BackendClientKeys.RS_KID + "\"}");
                }, "invalid_client", "not a key for"),
                Arguments.of("RS256 (not RS384)", (Case) e -> BackendClientKeys.sign(JWSAlgorithm.RS256, BackendClientKeys.RS_KID,
                        BackendClientKeys.claims(e).build()), "invalid_client", "RS384 or ES384"),
                Arguments.of("PS384", (Case) e -> BackendClientKeys.sign(JWSAlgorithm.PS384, BackendClientKeys.RS_KID,
                        BackendClientKeys.claims(e).build()), "invalid_client", "RS384 or ES384"),
                Arguments.of("HS256 keyed with the public key (alg confusion)", (Case) e -> {
                    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(BackendClientKeys.RS_KID).build(),
                            BackendClientKeys.claims(e).build());
                    jwt.sign(new MACSigner(BackendClientKeys.rsa().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
                    return jwt.serialize();
                }, "invalid_client", "RS384 or ES384"),
                Arguments.of("alg none", (Case) e -> new PlainJWT(BackendClientKeys.claims(e).build()).serialize(), "invalid_client", "signed JWT"),
                Arguments.of("alg none in a signed-looking token", (Case) e -> retitle(
                        BackendClientKeys.rs384(BackendClientKeys.claims(e).build()), "{\"alg\":\"none\",\"kid\":\"" + BackendClientKeys.RS_KID + "\"}"),
                        "invalid_client", "signed JWT"),
                Arguments.of("sub is another client", (Case) e -> BackendClientKeys.rs384(
                        BackendClientKeys.claims(e).subject("gateway-tests").build()), "invalid_client", "iss and sub"),
                Arguments.of("iss is a client without keys", (Case) e -> BackendClientKeys.rs384(
                        BackendClientKeys.claims(e).issuer("gateway-tests").subject("gateway-tests").build()), "invalid_client", "private_key_jwt"),
                Arguments.of("iss is no client", (Case) e -> BackendClientKeys.rs384(
                        BackendClientKeys.claims(e).issuer("nobody").subject("nobody").build()), "invalid_client", "private_key_jwt"),
                Arguments.of("claims altered after signing", (Case) e -> {
                    String good = BackendClientKeys.rs384(BackendClientKeys.claims(e).build());
                    String[] parts = good.split("\\.");
                    JWTClaimsSet forged = BackendClientKeys.claims(e).claim("scope", "system/*.cruds").build();
                    return parts[0] + "." + Base64URL.encode(forged.toString()) + "." + parts[2];
                }, "invalid_client", "signature"),
                Arguments.of("not a JWT", (Case) e -> "not-a-jwt", "invalid_client", "signed JWT"));
    }

    @FunctionalInterface
    interface Case {
        String assertion(String tokenEndpoint) throws JOSEException, Exception;
    }

    /** The same payload and signature under another header. */
    private static String retitle(String jwt, String headerJson) {
        String[] parts = jwt.split("\\.");
        return Base64URL.encode(headerJson) + "." + parts[1] + "." + parts[2];
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileAssertionsAreRefused(String name, Case hostile, String error, String description) throws Exception {
        Response r = request(hostile.assertion(tokenEndpoint), "system/Patient.rs");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo("invalid_client".equals(error) ? 401 : 400);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.jsonPath().getString("error")).isEqualTo(error);
        assertThat(r.jsonPath().getString("error_description")).contains(description);
        assertThat(r.jsonPath().getString("access_token")).isNull();
    }

    @Test
    void malformedRequestsAreInvalidRequest() throws Exception {
        String good = BackendClientKeys.rs384(BackendClientKeys.claims(tokenEndpoint).build());
        Response wrongType = RestAssured.given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer")
                .formParam("client_assertion", good).formParam("scope", "system/Patient.rs").post(tokenEndpoint);
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(wrongType.jsonPath().getString("error")).isEqualTo("invalid_request");
        Response otherClientId = form().formParam("client_id", "gateway-tests").formParam("client_assertion", good)
                .formParam("scope", "system/Patient.rs").post(tokenEndpoint);
        assertThat(otherClientId.statusCode()).isEqualTo(401);
        assertThat(otherClientId.jsonPath().getString("error")).isEqualTo("invalid_client");
    }

    // ---- down-scoping ----

    private Response ask(String scope) throws Exception {
        return request(BackendClientKeys.rs384(BackendClientKeys.claims(tokenEndpoint).build()), scope);
    }

    @Test
    void aClientGetsThePartOfItsRegistrationItAsksForAndNoMore() throws Exception {
        // smart-backend is registered for system/Patient.cruds and system/Observation.rs.
        Response r = ask("system/Patient.rs");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getString("scope")).isEqualTo("system/Patient.rs");
        String token = r.jsonPath().getString("access_token");
        assertThat(scopeClaim(token)).containsExactly("system/Patient.rs");
        RestAssured.given().header("Authorization", "Bearer " + token).get("/fhir/Patient?_count=1").then().statusCode(200);
        // Registered for Patient writes and Observation reads, but did not ask for them: refused.
        RestAssured.given().header("Authorization", "Bearer " + token).contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Scoped\"}],\"birthDate\":\"2024-01-01\"}")
                .post("/fhir/Patient").then().statusCode(403);
        RestAssured.given().header("Authorization", "Bearer " + token).get("/fhir/Observation?_count=1").then().statusCode(403);
    }

    @Test
    void v1ScopesAndSeveralScopesAreGrantedAsAsked() throws Exception {
        Response v1 = ask("system/Patient.read");
        assertThat(v1.statusCode()).as(v1.asString()).isEqualTo(200);
        RestAssured.given().header("Authorization", "Bearer " + v1.jsonPath().getString("access_token"))
                .get("/fhir/Patient?_count=1").then().statusCode(200);
        Response two = ask("system/Patient.cruds system/Observation.rs");
        assertThat(two.statusCode()).as(two.asString()).isEqualTo(200);
        assertThat(List.of(two.jsonPath().getString("scope").split(" ")))
                .containsExactlyInAnyOrder("system/Patient.cruds", "system/Observation.rs");
    }

    @Test
    void scopesBeyondTheRegistrationOrMissingAreRefused() throws Exception {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("system/*.rs", "invalid_scope");               // wider type than registered
        refused.put("system/Observation.cruds", "invalid_scope");  // more permissions than registered
        refused.put("system/Observation.write", "invalid_scope");  // v1 form, beyond the registration
        refused.put("user/Patient.rs", "invalid_scope");           // another context
        refused.put("system/Patient.rs?identifier=x", "invalid_scope"); // query scopes are not enforced, so not handed out
        refused.put("system/Patient.rs system/CarePlan.rs", "invalid_scope"); // one good, one not: nothing
        for (Map.Entry<String, String> c : refused.entrySet()) {
            Response r = ask(c.getKey());
            assertThat(r.statusCode()).as(c.getKey() + ": " + r.asString()).isEqualTo(400);
            assertThat(r.jsonPath().getString("error")).as(c.getKey()).isEqualTo(c.getValue());
        }
        Response none = form().formParam("client_assertion", BackendClientKeys.rs384(BackendClientKeys.claims(tokenEndpoint).build()))
                .post(tokenEndpoint);
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.jsonPath().getString("error")).isEqualTo("invalid_request");
    }

    @Test
    void everyAdvertisedScopeCanBeObtainedAndTheTokenCarriesIt() {
        List<String> advertised = RestAssured.given().get("/fhir/.well-known/smart-configuration").then().statusCode(200)
                .extract().jsonPath().getList("scopes_supported", String.class);
        assertThat(advertised).isNotEmpty();
        for (String scope : advertised) {
            // The suite's client is registered for system/*.cruds; every advertised scope is a part of it.
            Response r = RestAssured.given().auth().preemptive().basic(TEST_CLIENT, "test-secret")
                    .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                    .formParam("scope", scope).post(tokenEndpoint);
            assertThat(r.statusCode()).as(scope + ": " + r.asString()).isEqualTo(200);
            assertThat(scopeClaim(r.jsonPath().getString("access_token"))).as(scope).containsExactly(scope);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> scopeClaim(String token) {
        try {
            Object scope = SignedJWT.parse(token).getJWTClaimsSet().getClaim("scope");
            return scope instanceof List<?> list ? (List<String>) list : List.of(String.valueOf(scope).split(" "));
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }
}
