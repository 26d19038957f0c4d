package org.childrensgateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.restassured.RestAssured;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import org.childrensgateway.GatewayApplication;
import org.childrensgateway.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The development issuer's signing key is kept in PostgreSQL (no key file, as in the dev profile):
 * a token issued by one node is good on a second node started later on the same database, as it
 * would be after a restart, and both publish the same key. The first node makes the key after
 * start-up by itself, so no request waits for it.
 */
class PersistedDevKeyTest {

    private static EmbeddedPostgres postgres;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().setDataDirectory(Path.of("target/dev-key-postgres")).setCleanDataDirectory(true).start();
    }

    private static ConfigurableApplicationContext node() {
        return new SpringApplicationBuilder(GatewayApplication.class).profiles("test")
                .run("--server.port=0", "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                        "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                        "--gateway.security.dev.jwk-file=");
    }

    private static int port(ConfigurableApplicationContext node) {
        return ((WebServerApplicationContext) node).getWebServer().getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] {first, second}) {
            if (node != null) {
                node.close();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aTokenFromOneNodeIsGoodOnANodeStartedLaterOnTheSameDatabase() throws Exception {
        RestAssured.reset();
        first = node();
        // Made right after start-up, in the background, not by the first token request (which would wait for it).
        JdbcClient db = JdbcClient.create(postgres.getPostgresDatabase());
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (db.sql("select count(*) from dev_signing_key").query(Integer.class).single() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(db.sql("select count(*) from dev_signing_key").query(Integer.class).single())
                .as("the signing key is made after start-up without a token request").isEqualTo(1);
        String token = Tokens.forClient(port(first), "gateway-tests", "test-secret", "system/Patient.rs");
        String kid = SignedJWT.parse(token).getHeader().getKeyID();
        assertThat(db.sql("select jwk from dev_signing_key").query(String.class).list()).singleElement()
                .satisfies(jwk -> assertThat(jwk).contains(kid));
        // Not the tests' fixed key: this one was made by the node and stored.
        assertThat(kid).isNotEqualTo(com.nimbusds.jose.jwk.JWKSet.load(Path.of("src/test/resources/security/test-signing-jwks.json")
                .toFile()).getKeys().get(0).getKeyID());

        second = node();
        RestAssured.given().port(port(second)).header("Authorization", "Bearer " + token).get("/fhir/Patient?_count=1")
                .then().statusCode(200);
        String secondKid = RestAssured.given().port(port(second)).get("/oauth2/jwks").then().statusCode(200)
                .extract().jsonPath().getString("keys[0].kid");
        assertThat(secondKid).isEqualTo(kid);
        String fromSecond = Tokens.forClient(port(second), "gateway-tests", "test-secret", "system/Patient.rs");
        RestAssured.given().port(port(first)).header("Authorization", "Bearer " + fromSecond).get("/fhir/Patient?_count=1")
                .then().statusCode(200);
        // A signed token from a key the nodes do not hold is still refused.
        RestAssured.given().port(port(second)).header("Authorization", "Bearer "
                + TestTokens.signedBy("src/test/resources/security/test-signing-jwks.json").build()).get("/fhir/Patient?_count=1")
                .then().statusCode(401);
        assertThat(db.sql("select count(*) from dev_signing_key").query(Integer.class).single()).isEqualTo(1);
        RestAssured.reset();
    }
}
