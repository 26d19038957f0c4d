package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.audit.StoredAudit;
import org.childrensgateway.operations.RequestIdFilter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A searchset written by {@link SearchsetJsonWriter} (the envelope by Jackson, entries from stored
 * JSON or encoded one by one) is the Bundle HAPI encodes whole, asked for with {@code _format=json}
 * (which takes HAPI's path: the test checks that no entry of that answer has the stored layout):
 * the same members in the same order around the entries (resourceType, id, meta, type, total, link,
 * entry; fullUrl, resource, search), the same values, the same entries, and entries HAPI encodes in
 * both answers byte for byte. For each kind of the benchmark's read mix as the GP reading RiO's child
 * by consent, a page and its next page, {@code _include}, agreement-reduced and restricted-address
 * entries, and a hidden one.
 */
class SearchsetEnvelopeTest extends GatewayTestBase {

    private static final ObjectMapper JSON = StoredJsonLayout.JSON;
    /** Values that differ between two answers to the same request: a page's id and the paging session. */
    private static final Pattern PAGING = Pattern.compile("(_getpages|_pageId)=[^&]*");
    /** The parameter the reference request adds, wherever HAPI puts it in a link (then a "?" or "&" left over). */
    private static final Pattern FORMAT = Pattern.compile("(?<=[?&])_format=json(&|$)");

    @Autowired
    private JdbcClient jdbc;

    @Test
    void theReadMixAsTheGpIsTheBundleHapiEncodes() throws Exception {
        String client = FhirFixtures.uniqueId("SE");
        Response w = fhirAs("rio-hv").body(BenchChild.transaction(client)).post("");
        assertThat(w.statusCode()).as(w.asString()).isEqualTo(200);
        String child = w.jsonPath().getString("entry[0].response.location").split("/")[1];

        JsonNode read = assertSame("systmone-gp", "/Patient/" + child);
        assertThat(read.path("id").asText()).isEqualTo(child);
        JsonNode identifier = assertSame("systmone-gp", "/Patient?identifier=" + BenchChild.RIO_CLIENT + "|" + client);
        assertThat(identifier.path("total").asInt()).isEqualTo(2); // the RiO record and the child record composed from it
        JsonNode observations = assertSame("systmone-gp", "/Observation?subject=Patient/" + child);
        assertThat(observations.path("entry")).hasSize(4);
        JsonNode everything = assertSame("systmone-gp", "/Patient/" + child + "/$everything");
        assertThat(everything.path("entry")).hasSize(9);
        // Written from stored JSON where released whole: all but the composed child record.
        assertThat(storedLayouts(read)).isEqualTo(1);
        assertThat(storedLayouts(identifier)).isEqualTo(1);
        assertThat(storedLayouts(observations)).isEqualTo(4);
        assertThat(storedLayouts(everything)).isEqualTo(8);

        // A page, and the next page by its link (the same page asked for both ways).
        JsonNode first = assertSame("systmone-gp", "/Observation?subject=Patient/" + child + "&_count=3");
        String next = link(first, "next");
        assertThat(next).as("a next link").isNotNull();
        JsonNode second = assertSame("systmone-gp", next); // absolute, as HAPI writes it
        assertThat(second.path("entry")).hasSize(1);
        assertThat(link(second, "previous")).isNotNull();

        JsonNode included = assertSame("systmone-gp", "/Observation?subject=Patient/" + child + "&_include=Observation:subject");
        assertThat(included.path("entry")).hasSize(5);
        assertThat(included.path("entry").get(4).path("search").path("mode").asText()).isEqualTo("include");
    }

    @Test
    void reducedAndHiddenEntriesAreAsHapiEncodesThem() throws Exception {
        LocalDate today = LocalDate.now();
        // The live-birth agreement releases a health-visiting record's name, birth date and address only.
        String young = createAs("rio-hv", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("SE"), FhirFixtures.nhsNumber(),
                "Reduced", "Envelope", today.minusDays(20).toString(), "female", "NP4 6AB"));
        JsonNode reduced = assertSame("estart-centre", "/Patient?_id=" + young);
        assertThat(reduced.path("entry").get(0).path("resource").has("identifier")).as("NHS number withheld").isFalse();

        // A restricted record's address stays with its recorder, consent or not.
        String restricted = createAs("rio-hv", "Patient", FhirFixtures.restricted(FhirFixtures.patient(FhirFixtures.uniqueId("SE"), FhirFixtures.nhsNumber(),
                "Restricted", "Envelope", "2023-02-02", "female", "NP4 6AB")));
        createAs("rio-hv", "Consent", FhirFixtures.consent(restricted, "active", "permit", today.minusDays(1).toString(),
                today.plusYears(1).toString(), List.of("GP")));
        String obs = createAs("rio-hv", "Observation", FhirFixtures.observation("Patient/" + restricted, "27113001", "2026-10-10T10:30:00Z", 10.4));
        for (String path : List.of("/Patient?_id=" + restricted, "/Patient/" + restricted + "/$everything",
                "/Observation?_id=" + obs + "&_include=Observation:subject")) {
            JsonNode gp = assertSame("systmone-gp", path);
            assertThat(gp.toString()).as(path).contains("Restricted").doesNotContain("NP4 6AB");
        }

        // Hidden: another organisation's child without consent, beside one the caller may see.
        String hiddenChild = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("SE"), FhirFixtures.nhsNumber(),
                "Hidden", "Envelope", "2024-04-04", "female", "NP4 6AB"));
        String hidden = createAs("systmone-gp", "Observation", FhirFixtures.observation("Patient/" + hiddenChild, "27113001", "2026-10-10T10:30:00Z", 9.2));
        JsonNode beside = assertSame("rio-hv", "/Observation?_id=" + obs + "," + hidden);
        assertThat(ids(beside)).containsExactly(obs);
        JsonNode none = assertSame("rio-hv", "/Observation?_id=" + hidden);
        assertThat(none.path("total").asInt()).isZero();
        assertThat(none.has("entry")).isFalse();
    }

    /**
     * Fetches the path as the fast path answers it and with {@code _format=json}; asserts the same
     * response (but the Bundle's id and time and paging ids), the same headers, the audit; returns the fast body.
     */
    private JsonNode assertSame(String caller, String path) throws Exception {
        boolean encode = !path.startsWith("http"); // a link HAPI wrote is encoded already
        Response fast = fhirAs(caller).urlEncodingEnabled(encode).get(path);
        Response hapi = fhirAs(caller).urlEncodingEnabled(encode).queryParam("_format", "json").get(path);
        assertThat(fast.statusCode()).as(path).isEqualTo(200);
        assertThat(hapi.statusCode()).as(path).isEqualTo(200);
        JsonNode served = JSON.readTree(fast.asString());
        JsonNode reference = JSON.readTree(hapi.asString());
        assertThat(storedLayouts(reference)).as("_format=json is HAPI's encoding: " + path).isZero();

        if ("Bundle".equals(served.path("resourceType").asText())) {
            assertThat(served.has("id")).isEqualTo(reference.has("id"));
            assertThat(served.path("meta").has("lastUpdated")).isEqualTo(reference.path("meta").has("lastUpdated"));
            assertThat(shape(served).toString()).as("the envelope, in HAPI's order: " + path).isEqualTo(shape(reference).toString());
            for (int i = 0; i < reference.path("entry").size(); i++) {
                JsonNode mine = served.path("entry").get(i).path("resource");
                JsonNode theirs = reference.path("entry").get(i).path("resource");
                assertThat(mine).as("entry " + i + " of " + path).isEqualTo(theirs);
                if (!isStoredLayout(mine)) {
                    assertThat(mine.toString()).as("entry " + i + " encoded alike: " + path).isEqualTo(theirs.toString());
                }
            }
        } else {
            assertThat(served).as(path).isEqualTo(reference);
        }
        assertThat(fast.header("Content-Type")).isEqualTo(hapi.header("Content-Type"));
        assertThat(fast.header("ETag")).isEqualTo(hapi.header("ETag"));
        assertThat(fast.header("Last-Modified") != null).isEqualTo(hapi.header("Last-Modified") != null);
        assertThat(fast.header("Content-Location")).isEqualTo(hapi.header("Content-Location") == null ? null
                : hapi.header("Content-Location").replace(reference.path("id").asText(), served.path("id").asText()));
        assertThat(StoredAudit.ofRequest(jdbc, fast.header(RequestIdFilter.HEADER))).as("audited").isNotEmpty();
        return served;
    }

    /** The Bundle with what differs between two answers blanked (id, time, paging ids, _format) and each entry's resource named only. */
    private static JsonNode shape(JsonNode bundle) {
        ObjectNode copy = bundle.deepCopy();
        if (copy.has("id")) {
            copy.put("id", "ID");
        }
        if (copy.path("meta").has("lastUpdated")) {
            ((ObjectNode) copy.get("meta")).put("lastUpdated", "TIME");
        }
        for (JsonNode link : copy.path("link")) {
            String url = PAGING.matcher(link.path("url").asText()).replaceAll("$1=P");
            url = FORMAT.matcher(url).replaceAll("");
            ((ObjectNode) link).put("url", url.endsWith("?") || url.endsWith("&") ? url.substring(0, url.length() - 1) : url);
        }
        for (JsonNode e : copy.path("entry")) {
            JsonNode r = e.path("resource");
            ((ObjectNode) e).put("resource", r.path("resourceType").asText() + "/" + r.path("id").asText());
        }
        return copy;
    }

    private static String link(JsonNode bundle, String relation) {
        for (JsonNode l : bundle.path("link")) {
            if (relation.equals(l.path("relation").asText())) {
                return l.path("url").asText();
            }
        }
        return null;
    }

    private int storedLayouts(JsonNode body) throws Exception {
        if (!"Bundle".equals(body.path("resourceType").asText())) {
            return isStoredLayout(body) ? 1 : 0;
        }
        int n = 0;
        for (JsonNode e : body.path("entry")) {
            n += isStoredLayout(e.path("resource")) ? 1 : 0;
        }
        return n;
    }

    /** Laid out as its stored version is (resourceType first, then jsonb's order), which HAPI's encoder never writes. */
    private boolean isStoredLayout(JsonNode resource) throws Exception {
        String stored = jdbc.sql("select content::text from resource where res_type = ? and res_id = ?")
                .params(resource.path("resourceType").asText(), resource.path("id").asText()).query(String.class).optional().orElse(null);
        return stored != null && JSON.writeValueAsString(resource).equals(StoredJsonLayout.laidOut(stored));
    }

    private static List<String> ids(JsonNode bundle) {
        List<String> ids = new ArrayList<>();
        bundle.path("entry").forEach(e -> ids.add(e.path("resource").path("id").asText()));
        return ids;
    }
}
