package org.childrensgateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An async upload answered 202 is never thrown away: the job and its extract are committed
 * together, so a runner polling while the body is still arriving cannot claim a job whose extract
 * is not yet stored; an upload refused part-way leaves no job behind.
 */
class AsyncIngestDurabilityTest extends GatewayTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    private JdbcClient jdbc;

    /** The sample extract, sent in small pieces over about two seconds (runners poll every 0.2 s in tests). */
    private static InputStream slowly(byte[] content) {
        return new InputStream() {
            int sent;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent >= content.length) {
                    return -1;
                }
                try {
                    Thread.sleep(2000L / 20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                int n = Math.min(Math.min(len, Math.max(1, content.length / 20)), content.length - sent);
                System.arraycopy(content, sent, b, off, n);
                sent += n;
                return n;
            }
        };
    }

    @Test
    void aSlowAsyncUploadIsStoredBeforeAnyRunnerCanClaimIt() throws Exception {
        byte[] extract = Samples.bytes("rio-clients.csv");
        HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ingest/rio/clients?async=true"))
                .header("Authorization", "Bearer " + tokenFor("rio-hv")).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> slowly(extract))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        Instant end = Instant.now().plusSeconds(60);
        JsonNode job;
        do {
            Thread.sleep(100);
            job = JSON.readTree(RestAssuredGet(location));
            assertThat(Instant.now()).isBefore(end);
        } while ("queued".equals(job.path("status").asText()) || "running".equals(job.path("status").asText()));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("done");
        assertThat(job.path("records").asInt()).isEqualTo(5);
    }

    private String RestAssuredGet(String path) {
        return io.restassured.RestAssured.given().header("Authorization", "Bearer " + tokenFor("rio-hv")).get(path)
                .then().statusCode(200).extract().asString();
    }

    @Test
    void anUploadRefusedPartWayLeavesNoJob() throws Exception {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
            gzip.write(Samples.bytes("rio-clients.csv"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gzip.write(zeros);
            }
        }
        int before = jdbc.sql("select count(*) from ingest_job").query(Integer.class).single();
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ingest/rio/clients?async=true"))
                .header("Authorization", "Bearer " + tokenFor("rio-hv")).header("Content-Type", "text/csv").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bomb.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
        assertThat(jdbc.sql("select count(*) from ingest_job").query(Integer.class).single()).isEqualTo(before);
    }
}
