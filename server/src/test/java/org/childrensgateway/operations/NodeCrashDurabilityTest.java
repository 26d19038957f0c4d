package org.childrensgateway.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.childrensgateway.Tokens;
import org.childrensgateway.ingest.SamplesAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.util.FileSystemUtils;

/**
 * The node dies under load: the gateway JVM and its embedded PostgreSQL are killed with SIGKILL
 * during a burst of creates and an async ingest, then started again on the same data folder.
 * Every write answered before the kill must be there with its audit record, the async job answered
 * 202 must finish, and the audit chain must verify (and must notice a record taken out of it).
 * Then only the JVM is killed, leaving its PostgreSQL orphaned: the next start must succeed at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeCrashDurabilityTest {

    private static final Path DATA = Path.of("target/crash-postgres").toAbsolutePath();
    private static final Path LOG = Path.of("target/crash-node.log");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static GatewayProcess node;
    private static final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private static String jobLocation;
    private static final java.util.concurrent.atomic.AtomicInteger inTransactions = new java.util.concurrent.atomic.AtomicInteger();

    @org.junit.jupiter.api.BeforeAll
    static void plainRestAssured() {
        // Tokens uses RestAssured: not with another test class's default headers.
        io.restassured.RestAssured.reset();
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    @Order(1)
    void everyAcknowledgedWriteAndItsAuditRecordSurviveANodeCrash() throws Exception {
        // Creates and transactions, each answered only after its commit and its audit record.
        FileSystemUtils.deleteRecursively(DATA);
        node = GatewayProcess.start(DATA, true, LOG).awaitReady(Duration.ofMinutes(3));
        String token = Tokens.forClient(node.port, "gateway-tests", "test-secret");
        String rioToken = Tokens.forClient(node.port, "rio-hv", "demo-rio-hv");

        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            writers.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String patient = """
                            {"resourceType": "Patient", "name": [{"family": "Crashtest", "given": ["T%dN%d"]}], "birthDate": "2024-02-03"}"""
                            .formatted(thread, i);
                    // Thread 0 sends transactions of two Patients, the others single creates.
                    boolean transaction = thread == 0;
                    String body = !transaction ? patient : """
                            {"resourceType": "Bundle", "type": "transaction", "entry": [
                              {"resource": %s, "request": {"method": "POST", "url": "Patient"}},
                              {"resource": %s, "request": {"method": "POST", "url": "Patient"}}]}""".formatted(patient, patient);
                    try {
                        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.base() + (transaction ? "/fhir" : "/fhir/Patient")))
                                .header("Authorization", "Bearer " + token).header("Content-Type", "application/fhir+json")
                                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 201) {
                            acknowledged.add(JSON.readTree(r.body()).get("id").asText());
                        } else if (transaction && r.statusCode() == 200) {
                            for (JsonNode entry : JSON.readTree(r.body()).path("entry")) {
                                acknowledged.add(entry.path("response").path("location").asText().replaceAll("^(.*/)?Patient/([^/]+).*$", "$2"));
                                inTransactions.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        // the node is gone: nothing more is acknowledged
                        if (stop.get()) {
                            return;
                        }
                    }
                }
            });
        }
        // Until the burst is well under way (the first creates wait for the profile validator to warm up).
        Instant burst = Instant.now().plusSeconds(120);
        while (acknowledged.size() < 40) {
            assertThat(Instant.now()).as("creates acknowledged so far: " + acknowledged.size()).isBefore(burst);
            Thread.sleep(50);
        }
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(node.base() + "/ingest/rio/clients?async=true"))
                .header("Authorization", "Bearer " + rioToken).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SamplesAccess.bytes("rio-clients.csv"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).isEqualTo(202);
        jobLocation = accepted.headers().firstValue("Location").orElseThrow();
        Thread.sleep(300);
        node.killNode();
        stop.set(true);
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        System.out.printf("node-crash test: %d creates acknowledged before the kill (%d of them in transactions)%n",
                acknowledged.size(), inTransactions.get());
        assertThat(inTransactions.get()).isPositive();
        assertThat(acknowledged).hasSizeGreaterThan(10);

        node = GatewayProcess.start(DATA, false, LOG).awaitReady(Duration.ofMinutes(3));
        assertEverythingAcknowledgedIsThere();
    }

    private void assertEverythingAcknowledgedIsThere() throws Exception {
        String token = Tokens.forClient(node.port, "gateway-tests", "test-secret");
        List<String> lost = new ArrayList<>();
        for (String id : acknowledged) {
            int status = get("/fhir/Patient/" + id, token).statusCode();
            if (status != 200) {
                lost.add(id + " (" + status + ")");
            }
        }
        assertThat(lost).as("acknowledged creates missing after the crash").isEmpty();
        try (Connection db = database()) {
            List<String> unaudited = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("select count(*) from resource where res_type = 'AuditEvent'"
                    + " and content::text like ?")) {
                for (String id : acknowledged) {
                    ps.setString(1, "%\"Patient/" + id + "\"%");
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) == 0) {
                            unaudited.add(id);
                        }
                    }
                }
            }
            assertThat(unaudited).as("acknowledged creates whose audit record is missing").isEmpty();
        }
        // The async upload answered 202 before the crash is finished after it.
        String rioToken = Tokens.forClient(node.port, "rio-hv", "demo-rio-hv");
        Instant end = Instant.now().plusSeconds(90);
        JsonNode job;
        while (true) {
            job = JSON.readTree(get(jobLocation, rioToken).body());
            String status = job.path("status").asText();
            if (!"queued".equals(status) && !"running".equals(status)) {
                break;
            }
            assertThat(Instant.now()).as("job still " + status).isBefore(end);
            Thread.sleep(200);
        }
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("done");
        assertThat(job.path("records").asInt()).isEqualTo(5);
        assertThat(verifyChain().path("result").asBoolean()).isTrue();
    }

    @Test
    @Order(2)
    void theAuditChainNoticesARecordTakenOut() throws Exception {
        assertThat(verifyChain().path("result").asBoolean()).isTrue();
        long seq;
        try (Connection db = database(); var st = db.createStatement()) {
            db.setAutoCommit(false);
            try (ResultSet rs = st.executeQuery("select max(seq) / 2 from audit_chain")) {
                rs.next();
                seq = rs.getLong(1);
            }
            // As a lost commit would: the link is gone (triggers off, as only a superuser can).
            st.execute("set local session_replication_role = replica");
            st.executeUpdate("delete from audit_chain where seq = " + seq);
            db.commit();
        }
        JsonNode broken = verifyChain();
        assertThat(broken.path("result").asBoolean()).isFalse();
        assertThat(broken.path("reason").asText()).isEqualTo("link " + seq + " is missing");
    }

    @Test
    @Order(3)
    void aGatewayKilledWithSigkillStartsAgainFirstTime() throws Exception {
        ProcessHandle orphan = node.postmaster().orElseThrow();
        node.killJvm();
        assertThat(orphan.isAlive()).as("PostgreSQL outlives the JVM killed with SIGKILL").isTrue();
        // Same data folder, a new port (0: any free one, the default): the orphan holds the folder.
        node = GatewayProcess.start(DATA, false, LOG).awaitReady(Duration.ofMinutes(3));
        assertThat(orphan.isAlive()).isFalse();
        String token = Tokens.forClient(node.port, "gateway-tests", "test-secret");
        String any = acknowledged.iterator().next();
        assertThat(get("/fhir/Patient/" + any, token).statusCode()).isEqualTo(200);
        try (Connection db = database(); var st = db.createStatement()) {
            for (Map.Entry<String, String> setting : Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on").entrySet()) {
                try (ResultSet rs = st.executeQuery("show " + setting.getKey())) {
                    rs.next();
                    assertThat(rs.getString(1)).as(setting.getKey()).isEqualTo(setting.getValue());
                }
            }
        }
    }

    private JsonNode verifyChain() throws Exception {
        String auditor = Tokens.forClient(node.port, "ig-auditor", "demo-ig-auditor", "system/*.rs");
        HttpResponse<String> r = get("/fhir/$verify-audit-chain", auditor);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, JsonNode> params = new java.util.HashMap<>();
        for (JsonNode p : JSON.readTree(r.body()).path("parameter")) {
            p.fields().forEachRemaining(f -> {
                if (f.getKey().startsWith("value")) {
                    params.put(p.path("name").asText(), f.getValue());
                }
            });
        }
        return JSON.valueToTree(params);
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(node.base() + path)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/fhir+json").timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Connection database() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + node.pgPort() + "/postgres", "postgres", "postgres");
    }
}
