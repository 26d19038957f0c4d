package org.childrensgateway.operations;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.childrensgateway.GatewayApplication;
import org.childrensgateway.ingest.IngestJobRunner;
import org.childrensgateway.ingest.SamplesAccess;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two gateway nodes, two application contexts on their own ports, against ONE PostgreSQL: the
 * deployment the operations guide describes. An ingest job sent to one node is run by whichever
 * node claims it and its status is read on the other; a search started on one node is paged on the
 * other; a node stopped in the middle of a job hands it back and the other node finishes it.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeTest {

    private static final String RIO = "https://fhir.childrens-gateway.uk/Id/rio/RX9/client";

    private static EmbeddedPostgres postgres;
    private static ConfigurableApplicationContext nodeA;
    private static ConfigurableApplicationContext nodeB;
    private static JdbcClient db;

    @BeforeAll
    static void startPostgresAndTwoNodes() throws IOException {
        postgres = EmbeddedPostgres.builder().setDataDirectory(Path.of("target/two-node-postgres"))
                .setCleanDataDirectory(true).start();
        db = JdbcClient.create(postgres.getPostgresDatabase());
        String url = postgres.getJdbcUrl("postgres", "postgres");
        // Logback is set up once per JVM: if another test's context configured it (plain text), let
        // these nodes configure it again, as a container's single process would, with JSON.
        LoggingSystem.get(TwoNodeTest.class.getClassLoader()).cleanUp();
        nodeA = node(url);
        nodeB = node(url);
    }

    /**
     * Both nodes sign and check tokens with the same key (the test profile's), as nodes behind one
     * issuer do: a token from node A's development issuer is good on node B.
     */
    @org.junit.jupiter.api.BeforeEach
    void authenticate() {
        RestAssured.reset();
        RestAssured.config = RestAssured.config().headerConfig(io.restassured.config.HeaderConfig.headerConfig()
                .overwriteHeadersWithName("Authorization"));
        // The RiO trust's client: it may push the rio feed (bound to its organisation) and reads what it stored.
        String token = org.childrensgateway.Tokens.forClient(port(nodeA), "rio-hv", "demo-rio-hv");
        RestAssured.requestSpecification = new io.restassured.builder.RequestSpecBuilder()
                .addHeader("Authorization", "Bearer " + token).build();
    }

    @org.junit.jupiter.api.AfterEach
    void forgetToken() {
        RestAssured.reset();
    }

    /** A node as the container runs it: external database, JSON logs, its own port. */
    private static ConfigurableApplicationContext node(String url) {
        long started = System.nanoTime();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayApplication.class)
                .profiles("test")
                // Command-line arguments, so they win over application.yaml as the environment does in a container.
                .run("--server.port=0",
                        "--spring.datasource.url=" + url,
                        "--spring.datasource.username=postgres",
                        "--spring.datasource.password=postgres",
                        "--gateway.ingest.poll-interval=PT0.2S",
                        // Takeover after shutdown must not wait for a stale heartbeat.
                        "--gateway.ingest.job-stale-after=PT10M",
                        "--logging.structured.format.console=ecs");
        System.out.printf("two-node test: node on port %d started in %d ms%n", port(context),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return context;
    }

    @AfterAll
    static void stop() throws IOException {
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] {nodeA, nodeB}) {
            if (node != null && node.isActive()) {
                node.close();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static int port(ConfigurableApplicationContext node) {
        return ((WebServerApplicationContext) node).getWebServer().getPort();
    }

    private static String base(ConfigurableApplicationContext node) {
        return "http://localhost:" + port(node);
    }

    private static String nodeName(ConfigurableApplicationContext node) {
        return node.getBean(IngestJobRunner.class).node();
    }

    private static JsonPath waitFor(Supplier<JsonPath> poll, java.util.function.Predicate<JsonPath> done, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        while (true) {
            JsonPath current = poll.get();
            if (done.test(current)) {
                return current;
            }
            assertThat(Instant.now()).as("waiting; last seen " + current.prettify()).isBefore(end);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    @Order(1)
    void anIngestJobSentToOneNodeIsReportedByTheOther() {
        Response accepted = RestAssured.given().baseUri(base(nodeA)).contentType("text/csv")
                .body(SamplesAccess.bytes("rio-clients.csv")).post("/ingest/rio/clients?async=true");
        assertThat(accepted.statusCode()).isEqualTo(202);
        String location = accepted.header("Location");
        assertThat(location).startsWith("/ingest/jobs/");

        JsonPath done = waitFor(() -> RestAssured.given().baseUri(base(nodeB)).get(location).then().statusCode(200)
                .extract().jsonPath(), j -> "done".equals(j.getString("status")), Duration.ofSeconds(60));
        assertThat(done.getInt("records")).isEqualTo(5);
        assertThat(done.getInt("quarantined")).isEqualTo(2);
        assertThat(done.getInt("created")).isEqualTo(3);
        String ranOn = db.sql("select node from ingest_job where id = ?::uuid").param(location.substring("/ingest/jobs/".length()))
                .query(String.class).single();
        assertThat(ranOn).isIn(nodeName(nodeA), nodeName(nodeB));
        // What the job stored is visible through both nodes.
        for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
            RestAssured.given().baseUri(base(node)).accept("application/fhir+json")
                    .get("/fhir/Patient?identifier=" + RIO + "|RIO1000123&_tag:not=https://fhir.childrens-gateway.uk/CodeSystem/record-kind|").then().statusCode(200)
                    .body("total", org.hamcrest.Matchers.equalTo(1));
        }
    }

    @Test
    @Order(2)
    void aSearchStartedOnOneNodePagesOnTheOther() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ConfigurableApplicationContext writer = i % 2 == 0 ? nodeA : nodeB;
            String location = RestAssured.given().baseUri(base(writer)).contentType("application/fhir+json").body("""
                    {"resourceType": "Patient", "name": [{"family": "Twonode", "given": ["Child%d"]}], "birthDate": "2023-01-0%d"}"""
                    .formatted(i, i + 1)).post("/fhir/Patient").then().statusCode(201).extract().header("Location");
            created.add(location.replaceAll(".*/Patient/([^/]+)/.*", "$1"));
        }
        FhirContext fhir = FhirContext.forR4Cached();
        Bundle page = fhir.newJsonParser().parseResource(Bundle.class, RestAssured.given().baseUri(base(nodeA))
                .accept("application/fhir+json").get("/fhir/Patient?family:exact=Twonode&_count=2&_tag:not=https://fhir.childrens-gateway.uk/CodeSystem/record-kind|").then().statusCode(200)
                .extract().asString());
        assertThat(page.getTotal()).isEqualTo(5);
        List<String> seen = new ArrayList<>(ids(page));
        ConfigurableApplicationContext[] alternate = {nodeB, nodeA};
        int pages = 1;
        while (page.getLink(Bundle.LINK_NEXT) != null) {
            // The link names node A (or whichever served the last page); send it to the other node instead.
            ConfigurableApplicationContext other = alternate[(pages - 1) % 2];
            String next = page.getLink(Bundle.LINK_NEXT).getUrl().replaceFirst("^http://[^/]+", base(other));
            String body = RestAssured.given().accept("application/fhir+json").get(next).then().statusCode(200).extract().asString();
            page = fhir.newJsonParser().parseResource(Bundle.class, body);
            seen.addAll(ids(page));
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
    }

    private static List<String> ids(Bundle page) {
        return page.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
    }

    @Test
    @Order(3)
    void logsAreJsonWithTheRequestIdAndNoPersonalData(CapturedOutput output) {
        RestAssured.given().baseUri(base(nodeB)).header("X-Request-ID", "two-node-ingest-1").contentType("text/csv")
                .body(SamplesAccess.bytes("rio-clients.csv")).post("/ingest/rio/clients").then().statusCode(200)
                .header("X-Request-ID", "two-node-ingest-1");
        RestAssured.given().baseUri(base(nodeA)).get("/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9995260182&birthdate=x")
                .then().statusCode(400);
        String line = output.getOut().lines().filter(l -> l.contains("two-node-ingest-1")).findFirst().orElseThrow();
        JsonPath json = JsonPath.from(line);
        assertThat(json.getString("requestId")).isEqualTo("two-node-ingest-1");
        assertThat(json.getString("log.level")).isEqualTo("INFO");
        assertThat(json.getString("message")).contains("5 records");
        assertThat(output.getAll()).doesNotContain("9995260182").doesNotContain("9995260183").doesNotContain("Amelia");
    }

    @Test
    @Order(4)
    void aNodeStoppedMidJobHandsItBackAndTheOtherNodeFinishesIt(CapturedOutput output) {
        int n = 300;
        Response accepted = RestAssured.given().baseUri(base(nodeA)).contentType("text/csv").body(syntheticClients(n))
                .post("/ingest/rio/clients?async=true");
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = accepted.header("Location").substring("/ingest/jobs/".length());

        // Wait until a node has stored some of it, then stop that node while it is working.
        Instant end = Instant.now().plusSeconds(60);
        String owner;
        while (true) {
            var row = db.sql("select status, node, records_done from ingest_job where id = ?::uuid").param(id)
                    .query((rs, i) -> new Object[] {rs.getString(1), rs.getString(2), rs.getInt(3)}).single();
            if ("running".equals(row[0]) && (int) row[2] >= 100) {
                owner = (String) row[1];
                break;
            }
            assertThat(row[0]).as("the job finished before a node could be stopped; make it bigger").isNotEqualTo("done");
            assertThat(Instant.now()).isBefore(end);
            sleep(20);
        }
        ConfigurableApplicationContext stopping = owner.equals(nodeName(nodeA)) ? nodeA : nodeB;
        ConfigurableApplicationContext survivor = stopping == nodeA ? nodeB : nodeA;
        assertThat(owner).isEqualTo(nodeName(stopping));
        long t0 = System.nanoTime();
        stopping.close();
        long shutdownMillis = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        System.out.printf("two-node test: node stopped mid-job in %d ms%n", shutdownMillis);

        int handedBackAt = db.sql("select records_done from ingest_job where id = ?::uuid").param(id).query(Integer.class).single();
        assertThat(handedBackAt).isGreaterThan(0).isLessThan(n);
        assertThat(output.getOut()).contains("handed back to the queue");

        JsonPath done = waitFor(() -> RestAssured.given().baseUri(base(survivor)).get("/ingest/jobs/" + id).then().statusCode(200)
                .extract().jsonPath(), j -> !"running".equals(j.getString("status")) && !"queued".equals(j.getString("status")),
                Duration.ofSeconds(120));
        assertThat(done.getString("status")).isEqualTo("done");
        // Every record stored exactly once: none lost at the hand-over, none written twice.
        assertThat(done.getInt("records")).isEqualTo(n);
        assertThat(done.getInt("created")).isEqualTo(n);
        assertThat(done.getInt("updated") + done.getInt("unchanged") + done.getInt("quarantined")).isZero();
        assertThat(db.sql("select node from ingest_job where id = ?::uuid").param(id).query(String.class).single())
                .isEqualTo(nodeName(survivor));
        assertThat(db.sql("select count(*) from source_record where feed = 'rio' and file = 'clients' and source_id like '%/RIOT%'")
                .query(Integer.class).single()).isEqualTo(n);
        // Source records only: the person index also keeps a child record for each child.
        assertThat(db.sql("select count(*) from resource where res_type = 'Patient' and content::text like '%RIOT%'"
                        + " and content::text not like '%child-record%'")
                .query(Integer.class).single()).isEqualTo(n);
        assertThat(db.sql("select count(*) from ingest_payload where job_id = ?::uuid").param(id).query(Integer.class).single()).isZero();
    }

    /** A RiO clients extract of synthetic children with valid test-range (999) NHS numbers. */
    private static byte[] syntheticClients(int n) {
        StringBuilder csv = new StringBuilder("ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,"
                + "GenderCode,AddressLine1,AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,"
                + "DateOfDeath,LastUpdated\r\n");
        int made = 0;
        for (int serial = 100000; made < n; serial++) {
            String nhs = nhsNumber("999" + serial);
            if (nhs == null) {
                continue;
            }
            made++;
            csv.append("RIOT").append(serial).append(',').append(nhs).append(",01,Loadtest,Child,,01/0")
                    .append(1 + made % 9).append("/2023,").append(1 + made % 2).append(",1 Test Road,,,,NP4 1ZZ,M85001,A,,03/11/2026 22:10:00\r\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String nhsNumber(String nineDigits) {
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (nineDigits.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - sum % 11;
        if (check == 10) {
            return null;
        }
        return nineDigits + (check == 11 ? 0 : check);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
