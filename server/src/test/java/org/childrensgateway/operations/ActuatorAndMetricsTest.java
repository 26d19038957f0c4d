package org.childrensgateway.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.RestAssured;
import java.util.UUID;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Probes, build info, Prometheus metrics, request ids, and what the logs must never hold. */
@ExtendWith(OutputCaptureExtension.class)
class ActuatorAndMetricsTest extends GatewayTestBase {

    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";

    @Autowired
    private HealthEndpointGroups groups;

    @Autowired
    private GatewayMetrics gatewayMetrics;

    @Test
    void livenessAndReadinessProbesAreUpAndReadinessChecksTheDatabase() {
        RestAssured.get("/actuator/health").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get("/actuator/health/liveness").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get("/actuator/health/readiness").then().statusCode(200).body("status", equalTo("UP"));
        assertThat(groups.get("readiness").isMember("db")).isTrue();
        // A database outage must take the node out of the load balancer, not get it restarted.
        assertThat(groups.get("liveness").isMember("db")).isFalse();
        // No component details to anonymous callers (database product, disk paths).
        RestAssured.get("/actuator/health").then().body("components", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void infoShowsTheBuild() {
        RestAssured.get("/actuator/info").then().statusCode(200)
                .body("build.artifact", equalTo("server"))
                .body("build.version", notNullValue())
                .body("java.version", notNullValue());
    }

    @Test
    void onlyHealthInfoAndPrometheusAreExposed() {
        RestAssured.get("/actuator/env").then().statusCode(404);
        RestAssured.get("/actuator/heapdump").then().statusCode(404);
        RestAssured.get("/actuator/loggers").then().statusCode(404);
    }

    @Test
    void prometheusShowsFhirIngestBacklogAndDecisionMetrics() {
        String id = fhir().body("""
                {"resourceType": "Patient", "name": [{"family": "Metrics"}], "birthDate": "2023-05-14"}""")
                .post("/Patient").then().statusCode(201).extract().header("Location").replaceAll(".*/Patient/([^/]+)/.*", "$1");
        fhir().get("/Patient/" + id).then().statusCode(200);
        fhir().get("/Patient/does-not-exist-" + UUID.randomUUID()).then().statusCode(404);
        fhir().get("/Patient?family=Metrics").then().statusCode(200);
        asFeed("rio").contentType("text/csv").body(org.childrensgateway.ingest.SamplesAccess.bytes("rio-clients.csv"))
                .post("/ingest/rio/clients").then().statusCode(200);
        // Real decisions: the owner reads its patient (permit), another organisation may not (deny);
        // creating the patient ran the person index (a new child record or a link).
        fhir().header("Authorization", "Bearer " + tokenFor("rio-hv")).get("/Patient/" + id).then().statusCode(404);
        gatewayMetrics.linkageOutcome("9434765919"); // a caller's mistake must not publish a value

        String metrics = RestAssured.get("/actuator/prometheus").then().statusCode(200).extract().asString();

        assertThat(metrics).containsPattern(
                "gateway_fhir_requests_seconds_count\\{application=\"childrens-gateway\",interaction=\"create\",outcome=\"success\",resource=\"Patient\",status=\"201\"\\} \\d");
        assertThat(metrics).containsPattern(
                "gateway_fhir_requests_seconds_count\\{[^}]*interaction=\"read\",outcome=\"success\",resource=\"Patient\",status=\"200\"\\}");
        assertThat(metrics).containsPattern(
                "gateway_fhir_requests_seconds_count\\{[^}]*interaction=\"read\",outcome=\"client_error\",resource=\"Patient\",status=\"404\"\\}");
        assertThat(metrics).containsPattern(
                "gateway_fhir_requests_seconds_count\\{[^}]*interaction=\"search-type\",outcome=\"success\",resource=\"Patient\"");
        assertThat(metrics).containsPattern("gateway_fhir_requests_seconds_bucket\\{[^}]*interaction=\"read\"[^}]*le=\"0\\.1\"");
        assertThat(metrics).containsPattern(
                "gateway_ingest_records_total\\{[^}]*feed=\"rio\",file=\"clients\",outcome=\"quarantined\"\\} [1-9]");
        assertThat(metrics).containsPattern("gateway_quarantine_open\\{[^}]*\\} [1-9]");
        assertThat(metrics).containsPattern("gateway_ingest_jobs\\{[^}]*status=\"queued\"\\} \\d");
        assertThat(metrics).containsPattern("gateway_consent_decisions_total\\{[^}]*outcome=\"permit\"\\} [1-9]");
        assertThat(metrics).containsPattern("gateway_consent_decisions_total\\{[^}]*outcome=\"deny\"\\} [1-9]");
        assertThat(metrics).containsPattern("gateway_linkage_outcomes_total\\{[^}]*outcome=\"(linked|new_record)\"\\} [1-9]");
        assertThat(metrics).containsPattern("gateway_linkage_outcomes_total\\{[^}]*outcome=\"other\"\\} [1-9]");
        // whether writes are waiting for the compiled profile checks (readiness does not say)
        assertThat(metrics).containsPattern("gateway_validation_writes_held\\{[^}]*\\} \\d")
                .containsPattern("gateway_validation_compiled_checks_ready\\{[^}]*\\} [01]")
                .containsPattern("gateway_validation_writes_total\\{[^}]*path=\"compiled\"");
        assertThat(metrics).doesNotContain("9434765919").doesNotContain(id);
        // Spring's own HTTP metrics and the JVM's are there too.
        assertThat(metrics).contains("http_server_requests_seconds_count").contains("jvm_memory_used_bytes")
                .contains("hikaricp_connections_active");
    }

    @Test
    void everyResponseCarriesARequestIdAndAGoodIncomingOneIsKept() {
        String generated = fhir().get("/metadata").then().statusCode(200).extract().header("X-Request-ID");
        assertThat(generated).matches("[0-9a-f-]{36}");
        fhir().header("X-Request-ID", "edge-7f3a.1").get("/metadata").then().header("X-Request-ID", "edge-7f3a.1");
        RestAssured.given().header("X-Request-ID", "ops-1").get("/actuator/health").then().header("X-Request-ID", "ops-1");
        // Anything that is not a plain id is replaced, so nothing odd reaches the logs.
        String replaced = fhir().header("X-Request-ID", "x\"} injected {\"a").get("/metadata").then().extract().header("X-Request-ID");
        assertThat(replaced).matches("[0-9a-f-]{36}");
    }

    @Test
    void searchesAndErrorsNeverPutNhsNumbersInTheLogs(CapturedOutput output) {
        fhir().get("/Patient?identifier=" + NHS + "|9434765919").then().statusCode(200);
        fhir().get("/Patient?identifier=" + NHS + "|9434765919&birthdate=9434765919").then().statusCode(400);
        fhir().get("/Patient?nosuchparam=9434765919").then().statusCode(400);
        fhir().get("/Patient/9434765919").then().statusCode(404);
        asFeed("rio").contentType("text/csv").body(org.childrensgateway.ingest.SamplesAccess.bytes("rio-clients.csv"))
                .post("/ingest/rio/clients").then().statusCode(200);
        assertThat(output.getAll()).doesNotContain("9434765919")
                // the sample's NHS numbers, bad and good, and a name
                .doesNotContain("9995260183").doesNotContain("9990166137").doesNotContain("Amelia");
    }
}
