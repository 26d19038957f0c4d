package org.childrensgateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.childrensgateway.GatewayApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With an external issuer the gateway takes its endpoints from the issuer's own metadata: a small
 * HTTP server here plays a Keycloak realm ({@code /realms/children}, token endpoint at
 * {@code …/protocol/openid-connect/token}, keys at {@code …/protocol/openid-connect/certs}).
 * Discovery advertises those URLs, tokens signed with the realm's key are accepted, others are not,
 * and the development issuer is off.
 */
class ExternalIssuerTest {

    private static final String KEY = "src/test/resources/security/test-signing-jwks.json";
    private static final String ROGUE = "src/test/resources/security/rogue-jwks.json";

    private static HttpServer keycloak;
    private static String origin;
    private static final Map<String, String> documents = new ConcurrentHashMap<>();
    private static EmbeddedPostgres postgres;
    private static ConfigurableApplicationContext gateway;

    @BeforeAll
    static void start() throws Exception {
        keycloak = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin = "http://127.0.0.1:" + keycloak.getAddress().getPort();
        keycloak.createContext("/", exchange -> {
            String body = documents.get(exchange.getRequestURI().getPath());
            byte[] bytes = (body == null ? "{\"error\":\"not found\"}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        keycloak.start();
        String realm = origin + "/realms/children";
        documents.put("/realms/children/.well-known/openid-configuration", """
                {"issuer": "%1$s", "authorization_endpoint": "%1$s/protocol/openid-connect/auth",
                 "token_endpoint": "%1$s/protocol/openid-connect/token",
                 "introspection_endpoint": "%1$s/protocol/openid-connect/token/introspect",
                 "jwks_uri": "%1$s/protocol/openid-connect/certs",
                 "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
                 "token_endpoint_auth_methods_supported": ["private_key_jwt", "client_secret_basic", "client_secret_post", "client_secret_jwt"],
                 "token_endpoint_auth_signing_alg_values_supported": ["PS384", "ES384", "RS384", "HS256", "RS256", "ES256"],
                 "scopes_supported": ["openid", "profile", "system/Patient.rs", "system/Observation.rs"]}""".formatted(realm));
        documents.put("/realms/children/protocol/openid-connect/certs", JWKSet.load(Path.of(KEY).toFile()).toPublicJWKSet().toString());
        // Another issuer that publishes RFC 8414 metadata only, and one whose document names someone else.
        documents.put("/.well-known/oauth-authorization-server/realms/rfc8414", """
                {"issuer": "%1$s/realms/rfc8414", "token_endpoint": "%1$s/realms/rfc8414/token", "jwks_uri": "%1$s/realms/rfc8414/keys"}"""
                .formatted(origin));
        documents.put("/realms/liar/.well-known/openid-configuration", """
                {"issuer": "https://elsewhere.example", "token_endpoint": "https://elsewhere.example/token", "jwks_uri": "https://elsewhere.example/keys"}""");

        postgres = EmbeddedPostgres.builder().setDataDirectory(Path.of("target/external-issuer-postgres")).setCleanDataDirectory(true).start();
        gateway = new SpringApplicationBuilder(GatewayApplication.class).profiles("test")
                .run("--server.port=0", "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                        "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                        "--gateway.security.issuer-uri=" + realm);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (keycloak != null) {
            keycloak.stop(0);
        }
        RestAssured.reset();
    }

    private static io.restassured.specification.RequestSpecification gatewayRequest() {
        RestAssured.reset();
        return RestAssured.given().port(((WebServerApplicationContext) gateway).getWebServer().getPort());
    }

    @Test
    void discoveryAdvertisesTheIssuersOwnEndpoints() {
        JsonPath d = gatewayRequest().get("/fhir/.well-known/smart-configuration").then().statusCode(200).extract().jsonPath();
        String realm = origin + "/realms/children";
        assertThat(d.getString("issuer")).isEqualTo(realm);
        assertThat(d.getString("token_endpoint")).isEqualTo(realm + "/protocol/openid-connect/token");
        assertThat(d.getString("jwks_uri")).isEqualTo(realm + "/protocol/openid-connect/certs");
        assertThat(d.getString("introspection_endpoint")).isEqualTo(realm + "/protocol/openid-connect/token/introspect");
        assertThat(d.getList("token_endpoint_auth_methods_supported", String.class)).containsExactly("private_key_jwt");
        assertThat(d.getList("token_endpoint_auth_signing_alg_values_supported", String.class)).containsExactly("RS384", "ES384");
        assertThat(d.getList("scopes_supported", String.class)).containsExactly("system/Patient.rs", "system/Observation.rs");
        gatewayRequest().get("/.well-known/smart-configuration").then().statusCode(200)
                .body("token_endpoint", org.hamcrest.Matchers.equalTo(realm + "/protocol/openid-connect/token"));
    }

    @Test
    void tokensSignedWithTheIssuersPublishedKeyAreAcceptedOthersNot() throws Exception {
        String realm = origin + "/realms/children";
        gatewayRequest().header("Authorization", "Bearer " + TestTokens.signedBy(KEY).issuer(realm).build())
                .get("/fhir/Patient?_count=1").then().statusCode(200);
        gatewayRequest().header("Authorization", "Bearer " + TestTokens.signedBy(ROGUE).issuer(realm).build())
                .get("/fhir/Patient?_count=1").then().statusCode(401);
        // Right key, but the development issuer's name: not this deployment's issuer.
        gatewayRequest().header("Authorization", "Bearer " + TestTokens.signedBy(KEY).build())
                .get("/fhir/Patient?_count=1").then().statusCode(401);
    }

    @Test
    void theDevelopmentIssuerIsOff() {
        io.restassured.response.Response r = gatewayRequest().auth().preemptive().basic("gateway-tests", "test-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("scope", "system/*.rs").post("/oauth2/token");
        assertThat(r.statusCode()).isNotEqualTo(200);
        assertThat(r.asString()).doesNotContain("access_token");
        assertThat(gatewayRequest().get("/oauth2/jwks").statusCode()).isNotEqualTo(200);
    }

    @Test
    void rfc8414MetadataIsFoundWhenThereIsNoOpenIdConfiguration() {
        IssuerMetadata metadata = new IssuerMetadata(origin + "/realms/rfc8414");
        assertThat(metadata.tokenEndpoint()).isEqualTo(origin + "/realms/rfc8414/token");
        assertThat(metadata.jwksUri()).isEqualTo(origin + "/realms/rfc8414/keys");
    }

    @Test
    void metadataNamingAnotherIssuerOrMissingIsRefused() {
        assertThatThrownBy(() -> new IssuerMetadata(origin + "/realms/liar").tokenEndpoint())
                .isInstanceOf(IssuerMetadata.Unavailable.class).hasMessageContaining("elsewhere.example");
        assertThatThrownBy(() -> new IssuerMetadata(origin + "/realms/absent").jwksUri())
                .isInstanceOf(IssuerMetadata.Unavailable.class).hasMessageContaining("404");
    }
}
