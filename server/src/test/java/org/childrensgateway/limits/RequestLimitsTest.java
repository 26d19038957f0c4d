package org.childrensgateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Request limits against the running gateway: compression bombs, bodies and Bundles too large,
 * query strings too long, malformed or with NUL, and {@code _count} out of range. Each is refused
 * with an OperationOutcome (413/400/415) before it is parsed, leaves an audit record, and the
 * gateway goes on serving.
 */
class RequestLimitsTest extends GatewayTestBase {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static byte[] gibibyteBomb;
    /** Leaves out the child records the person index derives from each Patient. */
    private static final String SOURCE_RECORDS = "_tag:not=https://fhir.childrens-gateway.uk/CodeSystem/record-kind|";

    @Autowired
    private JdbcClient jdbc;

    /** ~1 MB of gzip that inflates to 1 GiB of zeros, made once. */
    private static synchronized byte[] bomb() throws IOException {
        if (gibibyteBomb == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16)) {
                byte[] zeros = new byte[1 << 20];
                for (int i = 0; i < 1024; i++) {
                    gzip.write(zeros);
                }
            }
            gibibyteBomb = out.toByteArray();
        }
        return gibibyteBomb;
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        }
        return out.toByteArray();
    }

    private HttpResponse<String> post(String path, String contentType, String encoding, HttpRequest.BodyPublisher body,
                                      String requestId, String token) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", contentType)
                .header("X-Request-ID", requestId).timeout(Duration.ofSeconds(60)).POST(body);
        if (encoding != null) {
            builder.header("Content-Encoding", encoding);
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The refusal's audit record (the /ingest ones are written by the audit filter as the response completes). */
    private void assertAudited(String requestId, int status) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        List<String> found;
        do {
            found = jdbc.sql("select content::text from resource where res_type = 'AuditEvent' and content::text like ?")
                    .param("%" + requestId + "%").query(String.class).list();
        } while (found.isEmpty() && System.nanoTime() < end && sleep());
        assertThat(found).as("audit record of " + requestId).hasSize(1);
        assertThat(found.get(0)).as("audited with its caller").doesNotContain("\"altId\": \"anonymous\"");
        assertThat(found.get(0)).contains("{\"type\": \"http-status\", \"valueString\": \"" + status + "\"}");
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }

    private static String id() {
        return "limits-" + UUID.randomUUID();
    }

    @Test
    void aGzipBombIsRefusedWithoutInflatingIt() throws Exception {
        String rid = id();
        byte[] bomb = bomb();
        assertThat(bomb.length).isLessThan(2 * 1024 * 1024);
        HttpResponse<String> r = post("/fhir/Patient", "application/fhir+json", "gzip", HttpRequest.BodyPublishers.ofByteArray(bomb),
                rid, token());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(r.body()).contains("OperationOutcome").contains("compression bomb");
        assertAudited(rid, 413);
        // Still serving.
        RestAssured.given().get("/fhir/metadata").then().statusCode(200);
    }

    @Test
    void aGzipBombSentToIngestIsRefusedToo() throws Exception {
        String rid = id();
        HttpResponse<String> r = post("/ingest/rio/clients?async=true", "text/csv", "gzip", HttpRequest.BodyPublishers.ofByteArray(bomb()),
                rid, tokenFor("rio-hv"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertAudited(rid, 413);
    }

    @Test
    void aBodyThatInflatesPastTheLimitIsRefused() throws Exception {
        // Random letters compress about 1.6:1, well inside the ratio; 12 MiB inflated is over the 10 MiB body limit.
        Random random = new Random(12);
        byte[] text = new byte[12 * 1024 * 1024];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ('a' + random.nextInt(26));
        }
        byte[] body = gzip(text);
        assertThat(body.length).isLessThan(10 * 1024 * 1024);
        String rid = id();
        HttpResponse<String> r = post("/fhir/Patient", "application/fhir+json", "gzip", HttpRequest.BodyPublishers.ofByteArray(body),
                rid, token());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(r.body()).contains("decompressed request body is larger than the limit");
        assertAudited(rid, 413);
    }

    @Test
    void aGzippedResourceWithinTheLimitsIsStored() throws Exception {
        byte[] patient = """
                {"resourceType": "Patient", "name": [{"family": "Gzipped", "given": ["Limit"]}], "birthDate": "2024-01-02"}"""
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = post("/fhir/Patient", "application/fhir+json", "gzip", HttpRequest.BodyPublishers.ofByteArray(gzip(patient)),
                id(), token());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.body()).contains("Gzipped");
    }

    @Test
    void corruptGzipIsA400() throws Exception {
        HttpResponse<String> r = post("/fhir/Patient", "application/fhir+json", "gzip",
                HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\"}"), id(), token());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("not valid gzip");
    }

    @Test
    void anUnknownContentEncodingIsA415() throws Exception {
        HttpResponse<String> r = post("/fhir/Patient", "application/fhir+json", "br",
                HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\"}"), id(), token());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(415);
    }

    @Test
    void aBodyOverTheLimitIsRefusedFromItsContentLength() throws Exception {
        String rid = id();
        byte[] big = new byte[11 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> r = post("/fhir/Patient", "application/fhir+json", null, HttpRequest.BodyPublishers.ofByteArray(big), rid, token());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertAudited(rid, 413);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedAsItStreams() throws Exception {
        String rid = id();
        long size = 11L * 1024 * 1024;
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
            long sent;

            @Override
            public int read() {
                return sent++ < size ? ' ' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - sent);
                java.util.Arrays.fill(b, off, off + n, (byte) ' ');
                sent += n;
                return n;
            }
        });
        HttpResponse<String> r = post("/fhir/Patient", "application/fhir+json", null, chunked, rid, token());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertAudited(rid, 413);
    }

    @Test
    void aBundleWithTooManyEntriesIsRefusedBeforeAnyIsProcessed() throws Exception {
        StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
        for (int i = 0; i < 1001; i++) {
            bundle.append(i == 0 ? "" : ",").append("{\"request\":{\"method\":\"GET\",\"url\":\"Patient?family=Nobody").append(i).append("\"}}");
        }
        bundle.append("]}");
        String rid = id();
        fhir().header("X-Request-ID", rid).body(bundle.toString()).post("").then().statusCode(413)
                .body("resourceType", equalTo("OperationOutcome")).body("issue[0].diagnostics", containsString("limit of 1000"));
        assertAudited(rid, 413);
        // In XML, counted by the Bundle interceptor once HAPI has parsed it, still before any entry is processed.
        StringBuilder xml = new StringBuilder("<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"batch\"/>");
        for (int i = 0; i < 1001; i++) {
            xml.append("<entry><request><method value=\"GET\"/><url value=\"Patient?family=Nobody").append(i).append("\"/></request></entry>");
        }
        xml.append("</Bundle>");
        RestAssured.given().basePath("/fhir").contentType("application/fhir+xml").accept("application/fhir+json").body(xml.toString())
                .post("").then().statusCode(413).body("issue[0].diagnostics", containsString("1001 entries"));
        fhir().body("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"Patient?family=Nobody\"}}]}")
                .post("").then().statusCode(200);
    }

    @Test
    void aBurstOfBundlesIsWorkedOnAFewAtATimeAndEveryOneCompletes() throws Exception {
        // More concurrent batches than the bound (4): the rest wait their turn instead of failing or exhausting the heap.
        String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"Patient?family=Burst\"}}]}";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                statuses.add(pool.submit(() -> fhir().body(batch).post("").statusCode()));
            }
            for (var status : statuses) {
                assertThat(status.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aQueryTooLongOrWithTooManyParametersIsA400() throws Exception {
        String rid = id();
        fhir().header("X-Request-ID", rid).get("/Patient?family=" + "x".repeat(9000)).then().statusCode(400)
                .body("issue[0].diagnostics", containsString("longer than the limit"));
        assertAudited(rid, 400);
        StringBuilder many = new StringBuilder("/Patient?_count=1");
        for (int i = 0; i < 60; i++) {
            many.append("&family=a").append(i);
        }
        fhir().get(many.toString()).then().statusCode(400).body("issue[0].diagnostics", containsString("parameters"));
    }

    @Test
    void nulOrBrokenEncodingInASearchValueIsA400NamingTheParameterAndAudited() throws Exception {
        for (String query : new String[] {"identifier=%00", "birthdate=%00", "family=%C3%28", "name=a%00b", "given=%ED%A0%80"}) {
            String rid = id();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/Patient?" + query))
                    .header("Authorization", "Bearer " + token()).header("Accept", "application/fhir+json").header("X-Request-ID", rid)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).contains("'" + query.substring(0, query.indexOf('=')) + "'");
            assertAudited(rid, 400);
        }
    }

    @Test
    void countOutOfRangeIsA400AndALargeCountIsClampedWithPagingThatEnds() {
        fhir().get("/Patient?_count=-1").then().statusCode(400).body("issue[0].diagnostics", containsString("_count"));
        fhir().get("/Patient?_count=abc").then().statusCode(400);
        fhir().get("/Patient?_getpagesoffset=-5").then().statusCode(400);
        String family = "Clamp" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
        for (int i = 0; i < 3; i++) {
            fhir().body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}],\"birthDate\":\"2024-01-0" + (i + 1) + "\"}")
                    .post("/Patient").then().statusCode(201);
        }
        var page = fhir().get("/Patient?family:exact=" + family + "&_count=100000&" + SOURCE_RECORDS).then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("entry")).hasSize(3);
        assertThat(page.getList("link.findAll { it.relation == 'next' }")).isEmpty();
        // _count=0: the total only, and no next link to follow.
        var none = fhir().get("/Patient?family:exact=" + family + "&_count=0&" + SOURCE_RECORDS).then().statusCode(200).extract().jsonPath();
        assertThat(none.getList("link.findAll { it.relation == 'next' }")).isEmpty();
    }
}
