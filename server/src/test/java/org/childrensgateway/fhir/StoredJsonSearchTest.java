package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.audit.StoredAudit;
import org.childrensgateway.operations.RequestIdFilter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A searchset (search, {@code $everything}) writes each entry the gate released whole from its
 * stored JSON, as a read does: the same Bundle as the encoded answer (asked for with _pretty=true,
 * which takes the encoding path), entry by entry, with the entry resources laid out as stored.
 * Whatever the gate reduces (an agreement, a restricted address) is encoded from the reduced copy,
 * what it hides is not in the Bundle at all, break-glass is still flagged, and every search is audited.
 */
class StoredJsonSearchTest extends GatewayTestBase {

    private static final ObjectMapper JSON = StoredJsonLayout.JSON;

    @Autowired
    private JdbcClient jdbc;

    @Test
    void entriesReleasedWholeAreTheirStoredVersionsInSearchesAndEverything() throws Exception {
        String child = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("SS"), FhirFixtures.nhsNumber(),
                "Stored", "Search", "2024-04-04", "female", "NP4 6AB"));
        String a = createAs("systmone-gp", "Observation", FhirFixtures.observation("Patient/" + child, "27113001", "2026-10-10T10:30:00Z", 11.2));
        String b = createAs("systmone-gp", "Observation", FhirFixtures.observation("Patient/" + child, "27113001", "2026-10-12T10:30:00Z", 11.6));
        createAs("systmone-gp", "Consent", FhirFixtures.consent(child, "active", "permit", "2026-01-01",
                LocalDate.now().plusYears(1).toString(), List.of("EY", "GP")));
        for (String caller : List.of("rio-hv", "systmone-gp")) { // another organisation by consent; the recorder itself
            JsonNode obs = assertSameAsEncoded(caller, "/Observation?subject=Patient/" + child);
            assertThat(ids(obs)).containsExactlyInAnyOrder(a, b);
            assertEntriesStored(obs, 2);
            JsonNode patient = assertSameAsEncoded(caller, "/Patient?_id=" + child);
            assertEntriesStored(patient, 1);
            JsonNode everything = assertSameAsEncoded(caller, "/Patient/" + child + "/$everything");
            assertThat(ids(everything)).contains(child, a, b);
            assertEntriesStored(everything, 4); // the Patient, two Observations, the Consent
            JsonNode included = assertSameAsEncoded(caller, "/Observation?_id=" + a + "&_include=Observation:subject");
            assertThat(ids(included)).containsExactlyInAnyOrder(a, child);
            assertEntriesStored(included, 2);
        }
    }

    @Test
    void whatTheGateReducesOrHidesIsNeverServedAsStored() throws Exception {
        // The live-birth agreement releases a health-visiting record's name, birth date and address only.
        LocalDate today = LocalDate.now();
        String young = createAs("rio-hv", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("SS"), FhirFixtures.nhsNumber(),
                "Reduced", "Search", today.minusDays(20).toString(), "female", "NP4 6AB"));
        JsonNode reduced = assertSameAsEncoded("estart-centre", "/Patient?_id=" + young);
        JsonNode entry = reduced.path("entry").get(0).path("resource");
        assertThat(entry.has("identifier")).as("NHS number withheld").isFalse();
        assertThat(entry.path("meta").path("security").toString()).contains("REDACTED");
        assertThat(entry).isNotEqualTo(JSON.readTree(stored("Patient", young)));

        // A restricted record's address stays with its recorder, consent or not; break-glass shows it.
        String restricted = createAs("rio-hv", "Patient", FhirFixtures.restricted(FhirFixtures.patient(FhirFixtures.uniqueId("SS"), FhirFixtures.nhsNumber(),
                "Restricted", "Search", "2023-02-02", "female", "NP4 6AB")));
        createAs("rio-hv", "Consent", FhirFixtures.consent(restricted, "active", "permit", today.minusDays(1).toString(),
                today.plusYears(1).toString(), List.of("GP")));
        for (String path : List.of("/Patient?_id=" + restricted, "/Patient/" + restricted + "/$everything")) {
            Response gp = fhirAs("systmone-gp").get(path);
            gp.then().statusCode(200);
            assertThat(gp.asString()).as(path).contains("Restricted").doesNotContain("NP4 6AB");
            assertSameAsEncoded("systmone-gp", path);
            Response own = fhirAs("rio-hv").get(path);
            assertThat(own.asString()).contains("NP4 6AB");
            Response glass = fhirAs("systmone-gp").header("X-Break-Glass-Reason", "child at risk").get(path);
            glass.then().statusCode(200).header("X-Break-Glass", org.hamcrest.Matchers.notNullValue());
            assertThat(glass.asString()).contains("NP4 6AB");
            assertThat(StoredAudit.ofRequest(jdbc, glass.header(RequestIdFilter.HEADER))).contains("child at risk");
        }

        // Hidden (no consent for another organisation): not in the Bundle, which is that of a search matching nothing.
        String hiddenChild = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("SS"), FhirFixtures.nhsNumber(),
                "Hidden", "Search", "2024-04-04", "female", "NP4 6AB"));
        String hidden = createAs("systmone-gp", "Observation", FhirFixtures.observation("Patient/" + hiddenChild, "27113001", "2026-10-10T10:30:00Z", 9.2));
        JsonNode none = envelope(JSON.readTree(fhirAs("rio-hv").get("/Observation?_id=" + hidden).then().statusCode(200).extract().asString()));
        JsonNode missing = envelope(JSON.readTree(fhirAs("rio-hv").get("/Observation?_id=no-such-" + hidden).then().statusCode(200).extract().asString()));
        assertThat(none.path("total").asInt()).isZero();
        assertThat(none.has("entry")).isFalse();
        assertThat(none.toString().replace(hidden, "ID")).isEqualTo(missing.toString().replace("no-such-" + hidden, "ID"));
    }

    /** Fetches the path fast and encoded; asserts the same Bundle and headers, and the audit; returns the fast body. */
    private JsonNode assertSameAsEncoded(String caller, String path) throws Exception {
        Response fast = fhirAs(caller).get(path);
        Response encoded = fhirAs(caller).queryParam("_pretty", "true").get(path);
        assertThat(fast.statusCode()).as(path).isEqualTo(200);
        assertThat(encoded.statusCode()).as(path).isEqualTo(200);
        JsonNode served = JSON.readTree(fast.asString());
        JsonNode reference = JSON.readTree(encoded.asString());
        assertThat(served.path("entry")).as("every entry as encoded: " + path).isEqualTo(reference.path("entry"));
        assertThat(envelope(served)).as("the Bundle around them: " + path).isEqualTo(envelope(reference));
        assertThat(fast.header("Content-Type")).isEqualTo(encoded.header("Content-Type"));
        assertThat(fast.header("Last-Modified") != null).isEqualTo(encoded.header("Last-Modified") != null);
        assertThat(fast.header("ETag")).isEqualTo(encoded.header("ETag"));
        // The Bundle's own id differs between two responses; where HAPI sets a Content-Location, it names that id.
        assertThat(fast.header("Content-Location")).isEqualTo(encoded.header("Content-Location") == null ? null
                : encoded.header("Content-Location").replace(reference.path("id").asText(), served.path("id").asText()));
        assertThat(StoredAudit.ofRequest(jdbc, fast.header(RequestIdFilter.HEADER))).as("audited").isNotEmpty();
        return served;
    }

    /** Asserts that {@code count} entries are laid out exactly as their stored versions (resourceType first, then stored order). */
    private void assertEntriesStored(JsonNode bundle, int count) throws Exception {
        int stored = 0;
        for (JsonNode e : bundle.path("entry")) {
            JsonNode r = e.path("resource");
            String type = r.path("resourceType").asText();
            String id = r.path("id").asText();
            String text = JSON.writeValueAsString(r);
            String version = stored(type, id);
            if (version != null && text.equals(StoredJsonLayout.laidOut(version))) {
                stored++;
            }
        }
        assertThat(stored).as("entries written from their stored JSON in " + bundle).isEqualTo(count);
    }

    private static List<String> ids(JsonNode bundle) {
        List<String> ids = new ArrayList<>();
        bundle.path("entry").forEach(e -> ids.add(e.path("resource").path("id").asText()));
        return ids;
    }

    /** The Bundle without what differs between two responses (its id, time, links). */
    private static JsonNode envelope(JsonNode bundle) {
        ObjectNode copy = bundle.deepCopy();
        copy.remove(List.of("id", "meta", "link", "entry"));
        return copy;
    }


    private String stored(String type, String id) {
        return jdbc.sql("select content::text from resource where res_type = ? and res_id = ?").params(type, id)
                .query(String.class).optional().orElse(null);
    }

}
