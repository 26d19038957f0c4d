package org.childrensgateway.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A search matching more than one chunk of resources (500), as the recorder and as another
 * organisation that may see only one of the two children: the total counts exactly what the caller
 * may see (decided from projections of the stored JSON), hidden matches are left out wherever they
 * fall, and paging lists each visible match once, whether pages come from keys (other orders) or by
 * keyset ({@code _total=none}, or a broad search in the default order or by {@code _lastUpdated}).
 * Page tokens work only for the caller and session they were issued for, unaltered.
 */
class BroadSearchTest extends GatewayTestBase {

    private static final int VISIBLE = 520;
    private static final int HIDDEN = 30;

    /** The two children and their Observations: the consented child's 520 and, interleaved, the unshared child's 30. */
    private static String child;
    private static String hiddenChild;
    private static String family;

    @Autowired
    private JdbcClient jdbc;

    @BeforeEach
    void createOnce() {
        if (child != null) {
            return;
        }
        family = "Broad" + FhirFixtures.uniqueId("F").replace("-", "");
        child = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("BS"), FhirFixtures.nhsNumber(),
                family, "Search", "2024-05-05", "male", "NP4 6AB"));
        createAs("systmone-gp", "Consent", FhirFixtures.consent(child, "active", "permit", "2026-01-01",
                LocalDate.now().plusYears(1).toString(), List.of("EY", "GP")));
        hiddenChild = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("BS"), FhirFixtures.nhsNumber(),
                "Unshared", "Search", "2024-05-06", "female", "NP4 6AB")); // no Consent: hidden from other organisations
        List<String> entries = new ArrayList<>();
        int hidden = 0;
        for (int i = 0; i < VISIBLE + HIDDEN; i++) {
            // Hidden ones interleaved, so they fall in the first chunk and in the second, and on page boundaries.
            boolean hide = i % 18 == 5 && hidden < HIDDEN;
            hidden += hide ? 1 : 0;
            String subject = hide ? hiddenChild : child;
            entries.add(observationEntry("Patient/" + subject, 30 + i / 1000.0));
        }
        assertThat(hidden).isEqualTo(HIDDEN);
        fhirAs("systmone-gp")
                .body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + String.join(",", entries) + "]}")
                .post("/").then().statusCode(200);
    }

    private static String observationEntry(String subject, double kg) {
        return "{\"fullUrl\":\"urn:uuid:" + java.util.UUID.randomUUID() + "\",\"resource\":"
                + FhirFixtures.observation(subject, "27113001", "2026-10-10T10:30:00Z", kg) // values no other test looks for
                + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}";
    }

    private static String both() {
        return "/Observation?subject=Patient/" + child + ",Patient/" + hiddenChild;
    }

    @Test
    void theRecorderSeesAllItsOwn() {
        JsonPath own = fhirAs("systmone-gp").get(both() + "&_count=1").then().statusCode(200).extract().jsonPath();
        assertThat(own.getInt("total")).isEqualTo(VISIBLE + HIDDEN);
        assertThat(fhirAs("systmone-gp").get(both() + "&_summary=count").then().statusCode(200).extract().jsonPath().getInt("total"))
                .isEqualTo(VISIBLE + HIDDEN);
    }

    /** The default total, in the default order (keyset pages) and in an order only a list of keys serves. */
    @Test
    void anAccurateTotalCountsOnlyWhatTheCallerMaySeeAndEveryPageHoldsOnlyThat() {
        for (String order : List.of("", "&_sort=_lastUpdated", "&_sort=-date")) {
            JsonPath page = fhirAs("rio-hv").get(both() + "&_count=200" + order).then().statusCode(200).extract().jsonPath();
            assertThat(page.getInt("total")).as("another organisation: only the consented child's" + order).isEqualTo(VISIBLE);
            List<JsonPath> pages = follow("rio-hv", page);
            assertThat(pages).as(order).hasSize(3);
            assertThat(ids(pages)).as(order).hasSize(VISIBLE);
            pages.forEach(p -> assertThat(p.getInt("total")).as("the total stays on every page" + order).isEqualTo(VISIBLE));
        }
        int count = fhirAs("rio-hv").get(both() + "&_summary=count").then().statusCode(200).extract().jsonPath().getInt("total");
        assertThat(count).as("_summary=count counts as the search does").isEqualTo(VISIBLE);
    }

    /** {@code _total=none}: no total, matches decided only until the page is full, pages by keyset; in each order it serves. */
    @Test
    void withoutATotalPagesFollowByKeysetAndListEachVisibleMatchOnce() {
        for (String order : List.of("", "&_sort=_lastUpdated", "&_sort=-_lastUpdated")) {
            JsonPath page = fhirAs("rio-hv").get(both() + "&_total=none&_count=47" + order).then().statusCode(200).extract().jsonPath();
            assertThat(page.get("total") == null).as("no total" + order).isTrue();
            List<JsonPath> pages = follow("rio-hv", page);
            assertThat(ids(pages)).as(order).hasSize(VISIBLE);
            assertThat(pages.size()).as(order).isBetween(VISIBLE / 47 + 1, VISIBLE / 47 + 2);
            String next = nextLink(pages.get(0));
            assertThat(next).as("a keyset page link names a page token").contains("_pageId=");
            if (!order.isEmpty()) {
                List<String> updated = new ArrayList<>();
                pages.forEach(p -> updated.addAll(p.getList("entry.resource.meta.lastUpdated", String.class)));
                List<String> sorted = new ArrayList<>(updated);
                sorted.sort(order.contains("-") ? java.util.Comparator.reverseOrder() : java.util.Comparator.naturalOrder());
                assertThat(updated).as("in order" + order).isEqualTo(sorted);
            }
        }
        JsonPath estimate = fhirAs("rio-hv").get(both() + "&_total=estimate").then().statusCode(200).extract().jsonPath();
        assertThat(estimate.get("total") == null).as("no estimate is made").isTrue();
        assertThat(estimate.getList("entry")).hasSize(20);
    }

    @Test
    void aPageTokenWorksOnlyUnalteredAndOnlyForItsCallerAndSession() {
        String next = nextLink(fhirAs("rio-hv").get(both() + "&_total=none&_count=10").then().statusCode(200).extract().jsonPath());
        String other = nextLink(fhirAs("rio-hv").get(both() + "&_total=none&_count=11").then().statusCode(200).extract().jsonPath());
        assertThat(page("rio-hv", next).statusCode()).isEqualTo(200);
        String token = next.replaceAll(".*_pageId=([^&]+).*", "$1");
        String[] parts = token.split("\\.");
        String session = next.replaceAll(".*_getpages=([0-9a-f-]{36}).*", "$1");
        String otherSession = other.replaceAll(".*_getpages=([0-9a-f-]{36}).*", "$1");
        List<String> refused = new ArrayList<>();
        // another caller (another client of another organisation) with the caller's own link
        refused.add("estart-centre " + next);
        // the page size, the position and the signature altered; a made-up token; no token
        refused.add("rio-hv " + next.replace("_pageId=" + token, "_pageId=500." + token.substring(token.indexOf('.') + 1)));
        refused.add("rio-hv " + next.replace("_pageId=" + token, "_pageId=" + String.join(".", parts[0], parts[1], parts[2], "1", parts[4])));
        char last = token.charAt(token.length() - 1);
        refused.add("rio-hv " + next.replace("_pageId=" + token, "_pageId=" + token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A')));
        refused.add("rio-hv " + next.replace("_pageId=" + token, "_pageId=20.0.0.0.forged"));
        refused.add("rio-hv " + next.replace("_pageId=" + token, "_pageId=").replaceAll("&$", ""));
        refused.add("rio-hv " + next.replaceAll("&?_pageId=[^&]+", ""));
        // the token moved to another session of the same caller
        refused.add("rio-hv " + next.replace(session, otherSession));
        for (String attempt : refused) {
            String client = attempt.substring(0, attempt.indexOf(' '));
            Response r = page(client, attempt.substring(attempt.indexOf(' ') + 1));
            assertThat(r.statusCode()).as(attempt).isEqualTo(410);
            assertThat(r.jsonPath().getString("resourceType")).isEqualTo("OperationOutcome");
        }
    }

    @Test
    void hostileParametersAreBoundedOrRefused() {
        JsonPath huge = fhirAs("rio-hv").get(both() + "&_total=none&_count=100000").then().statusCode(200).extract().jsonPath();
        assertThat(huge.getList("entry").size()).as("no more than the largest page").isLessThanOrEqualTo(500);
        for (String total : List.of("garbage", "ACCURATE", "")) {
            Response r = fhirAs("rio-hv").get(both() + "&_total=" + total);
            if (total.isEmpty()) {
                assertThat(r.statusCode()).as("an empty _total").isIn(200, 400);
                continue;
            }
            assertThat(r.statusCode()).as(total).isEqualTo(400);
            assertThat(r.jsonPath().getString("resourceType")).isEqualTo("OperationOutcome");
        }
        assertThat(fhirAs("rio-hv").get(both() + "&_total=none&_total=accurate").statusCode()).isEqualTo(400);
    }

    /** Includes on keyset pages go through the gate: the hidden child is never included, the consented one is. */
    @Test
    void includesOnKeysetPagesAreDecided() {
        JsonPath page = fhirAs("rio-hv").get(both() + "&_total=none&_count=200&_include=Observation:subject").then().statusCode(200)
                .extract().jsonPath();
        List<JsonPath> pages = follow("rio-hv", page);
        for (JsonPath p : pages) {
            List<String> included = p.getList("entry.findAll { it.search.mode == 'include' }.resource.id", String.class);
            assertThat(included).containsExactly(child);
        }
    }

    /** Every page, keyset or not, leaves its own audit record before it is answered. */
    @Test
    void everyPageIsAudited() {
        long before = jdbc.sql("select count(*) from audit_chain").query(Long.class).single();
        List<JsonPath> pages = follow("rio-hv", fhirAs("rio-hv").get(both() + "&_total=none&_count=200").then().statusCode(200)
                .extract().jsonPath());
        long after = jdbc.sql("select count(*) from audit_chain").query(Long.class).single();
        assertThat(after - before).isGreaterThanOrEqualTo(pages.size());
    }

    /** A withdrawal between pages reaches the next page: what it hid is not listed. */
    @Test
    void aResourceHiddenBetweenPagesIsNotListedLater() {
        String shared = createAs("systmone-gp", "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("BS"), FhirFixtures.nhsNumber(),
                family, "Withdrawn", "2024-05-07", "female", "NP4 6AB"));
        String consent = createAs("systmone-gp", "Consent", FhirFixtures.consent(shared, "active", "permit", "2026-01-01",
                LocalDate.now().plusYears(1).toString(), List.of("EY", "GP")));
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            entries.add(observationEntry("Patient/" + shared, 40 + i / 1000.0));
        }
        fhirAs("systmone-gp").body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + String.join(",", entries) + "]}")
                .post("/").then().statusCode(200);
        for (String total : List.of("none", "accurate")) {
            if (total.equals("accurate")) {
                setConsent(consent, shared, "active");
            }
            JsonPath first = fhirAs("rio-hv").get("/Observation?subject=Patient/" + shared + "&_count=10&_total=" + total)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(first.getList("entry")).as(total).hasSize(10);
            String next = nextLink(first);
            setConsent(consent, shared, "inactive");
            JsonPath second = page("rio-hv", next).then().statusCode(200).extract().jsonPath();
            assertThat(second.getList("entry") == null || second.getList("entry").isEmpty()).as(total + ": withdrawn since page one").isTrue();
        }
    }

    /**
     * A derived record (the child record) is decided from its whole stored JSON, never from a
     * projection: counted exactly as the search lists it.
     */
    @Test
    void derivedRecordsAreCountedFromTheirWholeRecord() {
        JsonPath listed = fhirAs("rio-hv").get("/Patient?family=" + family + "&_count=100").then().statusCode(200).extract().jsonPath();
        int count = fhirAs("rio-hv").get("/Patient?family=" + family + "&_summary=count").then().statusCode(200).extract().jsonPath()
                .getInt("total");
        assertThat(listed.getList("entry.resource.meta.tag.code").toString()).as("the child record is among the matches").contains("child-record");
        assertThat(count).isEqualTo(listed.getInt("total")).isEqualTo(listed.getList("entry").size());
    }

    private void setConsent(String id, String patient, String status) {
        String json = FhirFixtures.consent(patient, status, "permit", "2026-01-01", LocalDate.now().plusYears(1).toString(), List.of("EY", "GP"))
                .replaceFirst("\\{", "{\"id\":\"" + id + "\",");
        fhirAs("systmone-gp").body(json).put("/Consent/" + id).then().statusCode(200);
    }

    /** The first page and every page its next links lead to, each checked: only the consented child's, none twice. */
    private List<JsonPath> follow(String client, JsonPath first) {
        List<JsonPath> pages = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        JsonPath page = first;
        while (true) {
            pages.add(page);
            assertThat(page.getList("entry.findAll { it.search.mode == 'match' }.resource.subject.reference", String.class))
                    .containsOnly("Patient/" + child);
            for (String id : page.getList("entry.findAll { it.search.mode == 'match' }.resource.id", String.class)) {
                assertThat(seen.add(id)).as("listed once: " + id).isTrue();
            }
            String next = nextLink(page);
            if (next == null) {
                return pages;
            }
            page = page(client, next).then().statusCode(200).extract().jsonPath();
        }
    }

    private static List<String> ids(List<JsonPath> pages) {
        List<String> ids = new ArrayList<>();
        pages.forEach(p -> ids.addAll(p.getList("entry.findAll { it.search.mode == 'match' }.resource.id", String.class)));
        return ids;
    }

    private static String nextLink(JsonPath page) {
        return page.getString("link.find { it.relation == 'next' }.url");
    }

    private Response page(String client, String url) {
        return RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json")
                .header("Authorization", "Bearer " + tokenFor(client)).get(url);
    }
}
