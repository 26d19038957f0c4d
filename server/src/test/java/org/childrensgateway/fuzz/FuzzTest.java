package org.childrensgateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.ingest.SamplesAccess;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Bounded fuzzing of the running gateway (a fixed seed, so a failure can be replayed; about
 * {@code fuzz.seconds} per area, 12 by default): mutated samples of each feed, mutated FHIR JSON
 * and XML, mutated query strings. Every answer must come within the request timeout (no hang),
 * never be a 5xx, and be an OperationOutcome when it is a refusal; an accepted extract accounts
 * for every record (stored or quarantined with a reason); an accepted FHIR resource is stored with
 * every string exactly as sent; a search's paging ends; nothing stored carries a replacement
 * character that was not sent.
 */
class FuzzTest extends GatewayTestBase {

    private static final long SEED = Long.getLong("fuzz.seed", 20261201L);
    private static final Duration PER_AREA = Duration.ofSeconds(Long.getLong("fuzz.seconds", 12L));
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper STRICT = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final byte[] SPECIAL = {0, (byte) 0xff, (byte) 0xc3, (byte) 0xed, '"', ',', '\n', '\r', '<', '>', '&', '\\', '{', '}',
        '[', ']', ':', '%', '=', '+', '-', '@', '\t', ';', '\'', '#'};

    @Autowired
    private JdbcClient jdbc;

    private final Random random = new Random(SEED);
    private final List<String> failures = new ArrayList<>();
    private int sent;
    private byte[] lastBody;

    /** One to three of: flip, insert a special byte, delete a range, duplicate a range, truncate. */
    private byte[] mutate(byte[] in) {
        byte[] b = in;
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            int at = b.length == 0 ? 0 : random.nextInt(b.length);
            switch (random.nextInt(5)) {
                case 0 -> {
                    b = b.clone();
                    if (b.length > 0) {
                        b[at] = (byte) (b[at] ^ (1 << random.nextInt(8)));
                    }
                }
                case 1 -> {
                    byte[] out = new byte[b.length + 1];
                    System.arraycopy(b, 0, out, 0, at);
                    out[at] = SPECIAL[random.nextInt(SPECIAL.length)];
                    System.arraycopy(b, at, out, at + 1, b.length - at);
                    b = out;
                }
                case 2 -> {
                    int len = Math.min(b.length - at, 1 + random.nextInt(20));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + len, out, at, b.length - at - len);
                    b = out;
                }
                case 3 -> {
                    int len = Math.min(b.length - at, 1 + random.nextInt(40));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                default -> b = Arrays.copyOf(b, at);
            }
        }
        return b;
    }

    private HttpResponse<String> send(String method, String path, String contentType, byte[] body, String token) {
        lastBody = body;
        URI uri;
        try {
            uri = URI.create("http://localhost:" + port + path);
        } catch (IllegalArgumentException e) {
            return null; // not a URI any client could send (a stray %); nothing to test
        }
        sent++;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/fhir+json");
        if (body != null) {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            failures.add(method + " " + path + ": no answer within " + TIMEOUT + " (case " + sent + ")");
            return null;
        } catch (Exception e) {
            failures.add(method + " " + path + ": " + e + " (case " + sent + ")");
            return null;
        }
    }

    /** The failing request's body, kept for replay (the inputs are mutated synthetic samples: no personal data). */
    private String kept() {
        if (lastBody == null) {
            return "";
        }
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "fuzz-failures");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Path file = dir.resolve("seed-" + SEED + "-case-" + sent + ".body");
            java.nio.file.Files.write(file, lastBody);
            return "; body in " + file;
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** No 5xx; a refusal is an OperationOutcome. */
    private boolean answered(HttpResponse<String> r, String what) {
        if (r == null) {
            return false;
        }
        if (r.statusCode() >= 500) {
            failures.add(what + ": " + r.statusCode() + " " + r.body() + " (case " + sent + ")" + kept());
            return false;
        }
        if (r.statusCode() >= 400 && r.statusCode() != 401 && r.statusCode() != 404 && !r.body().contains("OperationOutcome")) {
            failures.add(what + ": " + r.statusCode() + " without an OperationOutcome (case " + sent + ")");
        }
        return true;
    }

    private void fuzzFeed(String feed, String file, String sample, String contentType, String client) throws Exception {
        // The samples' own source ids are the sample tests' records: fuzz its own copies of them.
        byte[] original = new String(SamplesAccess.bytes(sample), java.nio.charset.StandardCharsets.UTF_8)
                .replace("RIO1000", "RIOFZ00").replace("S1-000", "S1-FZ0").replace("C-55", "C-FZ").replace("F-22", "F-FZ")
                .replace("A-9", "A-FZ9").replace("CP-5", "CP-FZ5").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String token = tokenFor(client);
        long end = System.nanoTime() + PER_AREA.toNanos() / 5;
        while (System.nanoTime() < end) {
            HttpResponse<String> r = send("POST", "/ingest/" + feed + "/" + file, contentType, mutate(original), token);
            if (answered(r, feed + "/" + file) && r.statusCode() == 200) {
                JsonNode report = STRICT.readTree(r.body());
                int records = report.path("records").asInt();
                // A part quarantined by itself (a SystmOne event) belongs to a record that was also stored.
                int parts = 0;
                for (JsonNode q : report.path("quarantinedRecords")) {
                    parts += q.path("location").asText().contains("/Event[@id=") ? 1 : 0;
                }
                int accounted = report.path("created").asInt() + report.path("updated").asInt() + report.path("unchanged").asInt()
                        + report.path("quarantined").asInt() - parts;
                if (records != accounted) {
                    failures.add(feed + "/" + file + ": " + records + " records but " + accounted + " accounted for (case " + sent + ")");
                }
                for (JsonNode q : report.path("quarantinedRecords")) {
                    if (q.path("reason").asText().isBlank()) {
                        failures.add(feed + "/" + file + ": quarantined without a reason (case " + sent + ")");
                    }
                }
            }
        }
    }

    @Test
    void mutatedFeedSamplesAreStoredQuarantinedOrRefusedNeverA5xx() throws Exception {
        fuzzFeed("rio", "clients", "rio-clients.csv", "text/csv", "rio-hv");
        fuzzFeed("rio", "assessments", "rio-assessments.csv", "text/csv", "rio-hv");
        fuzzFeed("rio", "careplans", "rio-careplans.csv", "text/csv", "rio-hv");
        fuzzFeed("childrens-centre", "registrations", "cc-registrations.csv", "text/csv", "estart-centre");
        fuzzFeed("systmone", "extract", "systmone-extract.xml", "application/xml", "systmone-gp");
        assertNoFailures();
    }

    private static final String PATIENT = """
            {"resourceType": "Patient", "identifier": [{"system": "https://fhir.childrens-gateway.uk/Id/fuzz", "value": "F-1"}],
             "name": [{"family": "Fuzz", "given": ["Ann", "Marie"]}], "gender": "female", "birthDate": "2023-05-14",
             "address": [{"line": ["1 Test Road"], "postalCode": "NP4 1ZZ"}]}""";
    private static final String PATIENT_XML = """
            <Patient xmlns="http://hl7.org/fhir"><name><family value="Fuzz"/><given value="Ann"/></name>\
            <gender value="female"/><birthDate value="2023-05-14"/></Patient>""";

    @Test
    void mutatedFhirResourcesAreStoredExactlyOrRefusedNeverA5xx() throws Exception {
        String token = token();
        long end = System.nanoTime() + PER_AREA.toNanos();
        byte[] json = PATIENT.getBytes(StandardCharsets.UTF_8);
        byte[] xml = PATIENT_XML.getBytes(StandardCharsets.UTF_8);
        while (System.nanoTime() < end) {
            boolean asXml = random.nextInt(4) == 0;
            byte[] body = mutate(asXml ? xml : json);
            HttpResponse<String> r = send("POST", "/fhir/Patient", asXml ? "application/fhir+xml" : "application/fhir+json", body, token);
            if (answered(r, "POST Patient") && r.statusCode() == 201 && !asXml) {
                assertStoredAsSent(body, STRICT.readTree(r.body()).path("id").asText(), token);
            }
        }
        assertNoFailures();
    }

    /** Every string the accepted JSON held is in the stored resource, unchanged. */
    private void assertStoredAsSent(byte[] body, String id, String token) throws Exception {
        JsonNode sentTree = STRICT.readTree(body);
        HttpResponse<String> stored = send("GET", "/fhir/Patient/" + id, null, null, token);
        if (stored == null || stored.statusCode() != 200) {
            failures.add("created Patient/" + id + " cannot be read (case " + sent + ")");
            return;
        }
        List<String> sentStrings = new ArrayList<>();
        collect(sentTree, sentStrings);
        List<String> storedStrings = new ArrayList<>();
        collect(STRICT.readTree(stored.body()), storedStrings);
        for (String s : sentStrings) {
            if (!storedStrings.contains(s.strip()) && !storedStrings.contains(s) && !"Patient".equals(s)) {
                failures.add("Patient/" + id + " was stored without the sent value of length " + s.length() + " (case " + sent + ")");
            }
        }
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node.isTextual()) {
            out.add(node.asText());
        }
        node.forEach(child -> collect(child, out));
    }

    @Test
    void mutatedQueryStringsAreAnsweredAndPagingEnds() throws Exception {
        String token = token();
        byte[] query = "family=Fuzz&birthdate=ge2020-01-01&_count=2&identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919&_sort=birthdate"
                .getBytes(StandardCharsets.UTF_8);
        long end = System.nanoTime() + PER_AREA.toNanos();
        while (System.nanoTime() < end) {
            String q = percentEncodeUnsafe(mutate(query));
            HttpResponse<String> r = send("GET", "/fhir/Patient?" + q, null, null, token);
            if (answered(r, "GET Patient?") && r.statusCode() == 200) {
                followPages(r.body(), token);
            }
        }
        assertNoFailures();
    }

    private void followPages(String body, String token) throws Exception {
        for (int page = 0; page < 50; page++) {
            String next = null;
            for (JsonNode link : STRICT.readTree(body).path("link")) {
                if ("next".equals(link.path("relation").asText())) {
                    next = link.path("url").asText();
                }
            }
            if (next == null) {
                return;
            }
            HttpResponse<String> r = send("GET", next.replaceFirst("^https?://[^/]+", ""), null, null, token);
            if (!answered(r, "next page") || r.statusCode() != 200) {
                return;
            }
            body = r.body();
        }
        failures.add("paging did not end within 50 pages (case " + sent + ")");
    }

    /** Bytes a URI cannot carry raw are percent-encoded, as a client library would; the rest go as they are. */
    private static String percentEncodeUnsafe(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            int c = x & 0xff;
            if (c > 0x20 && c < 0x7f && "\"<>\\^`{|}#[]".indexOf(c) < 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }

    private void assertNoFailures() {
        System.out.printf("fuzz: %d requests sent (seed %d)%n", sent, SEED);
        assertThat(sent).isGreaterThan(20);
        assertThat(failures).as("seed " + SEED).isEmpty();
        // Nothing stored carries a replacement character (none was sent: the samples and mutations have none).
        assertThat(jdbc.sql("select res_type || '/' || res_id || ' ' || left(content::text, 3000) from resource where strpos(content::text, U&'\\FFFD') > 0"
                        + " or strpos(content::text, U&'\\FFFF') > 0").query(String.class).list()).isEmpty();
    }
}
