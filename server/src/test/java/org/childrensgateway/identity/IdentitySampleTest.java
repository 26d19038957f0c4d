package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.ingest.SampleFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The samples' scene over HTTP through /ingest: Amelia "Millie" Jones is one child record across
 * RiO, SystmOne and the children's centre (the centre has no NHS number and writes the postcode
 * NP46AB); Llŷr ap Dafydd is one child record; Oliver and Ava stay apart. Then the one record is
 * used: read, searched, $everything, $services, and the family view.
 */
class IdentitySampleTest extends GatewayTestBase {

    static final String CHILD_TAG = "https://fhir.childrens-gateway.uk/CodeSystem/record-kind|child-record";
    static final String CARER_TAG = "https://fhir.childrens-gateway.uk/CodeSystem/record-kind|carer-record";
    private static final String RIO = "https://fhir.childrens-gateway.uk/Id/rio/RX9/client";
    private static final String S1 = "https://fhir.childrens-gateway.uk/Id/systmone/M85001/patient";
    private static final String CENTRE = "https://fhir.childrens-gateway.uk/Id/childrens-centre/W06000020/child";
    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";

    private static boolean ingested;

    @BeforeEach
    void ingestTheSamplesOnce() {
        if (ingested) {
            return;
        }
        send("rio", "clients", "rio-clients.csv", "text/csv");
        send("rio", "assessments", "rio-assessments.csv", "text/csv");
        send("rio", "careplans", "rio-careplans.csv", "text/csv");
        send("systmone", "extract", "systmone-extract.xml", "application/xml");
        send("childrens-centre", "registrations", "cc-registrations.csv", "text/csv");
        send("childrens-centre", "attendance", "cc-attendance.csv", "text/csv");
        send("childrens-centre", "progress-checks", "cc-progress-checks.csv", "text/csv");
        ingested = true;
    }

    private void send(String feed, String file, String sample, String type) {
        asFeed(feed).contentType(type).body(SampleFiles.bytes(sample)).post("/ingest/" + feed + "/" + file).then().statusCode(200);
    }

    /**
     * Linkage is checked on the whole child record, which only a view of every source shows: a GP
     * breaking the glass (audited and notified like any other), since no consent covers all three.
     */
    private io.restassured.specification.RequestSpecification viewAll() {
        return fhir().header("Authorization", "Bearer " + tokenFor("systmone-gp")).header("X-Break-Glass-Reason", "linkage test: whole child record");
    }

    /** The child record found by a source identifier (or NHS number). */
    private JsonPath childBy(String identifier) {
        JsonPath found = viewAll().get("/Patient?identifier=" + identifier + "&_tag=" + CHILD_TAG).then().statusCode(200).extract().jsonPath();
        assertThat(found.getInt("total")).as("child records for an identifier").isEqualTo(1);
        return new JsonPath(found.prettify()).setRootPath("entry[0].resource");
    }

    private static List<String> identifierValues(JsonPath child) {
        return child.getList("identifier.value", String.class);
    }

    @Test
    void milliesThreeRecordsAreOneChild() {
        JsonPath child = childBy(RIO + "|RIO1000123");
        assertThat(identifierValues(child)).contains("RIO1000123", "S1-000123", "C-5501", "9995260182");
        assertThat(child.getList("link.other.reference", String.class)).hasSize(3);
        // The same child record whichever identifier finds it, including the centre's (which had no NHS number).
        assertThat(childBy(CENTRE + "|C-5501").getString("id")).isEqualTo(child.getString("id"));
        assertThat(childBy(NHS + "|9995260182").getString("id")).isEqualTo(child.getString("id"));
        assertThat(childBy(S1 + "|S1-000123").getString("id")).isEqualTo(child.getString("id"));

        // Survivorship: SystmOne (first in priority) gives the official name; Millie is kept as a usual name.
        JsonPath read = viewAll().get("/Patient/" + child.getString("id")).then().statusCode(200).extract().jsonPath();
        assertThat(read.getString("name.find { it.use == 'official' }.given[0]")).isEqualTo("Amelia");
        assertThat(read.getList("name.findAll { it.use == 'usual' }.given.flatten()", String.class)).contains("Millie");
        assertThat(read.getString("birthDate")).isEqualTo("2023-05-14");
        assertThat(read.getString("meta.tag[0].code")).isEqualTo("child-record");
    }

    @Test
    void llyrIsOneChildAndTheOthersStayApart() {
        JsonPath llyr = childBy(RIO + "|RIO1000125");
        assertThat(identifierValues(llyr)).contains("RIO1000125", "S1-000456", "C-5502", "9991590838");
        assertThat(llyr.getList("link")).hasSize(3);
        JsonPath oliver = childBy(RIO + "|RIO1000124");
        assertThat(oliver.getList("link")).hasSize(1);
        JsonPath ava = childBy(CENTRE + "|C-5503");
        assertThat(ava.getList("link")).hasSize(1);
        assertThat(List.of(oliver.getString("id"), ava.getString("id"), llyr.getString("id")))
                .doesNotContain(childBy(RIO + "|RIO1000123").getString("id")).doesNotHaveDuplicates();
    }

    @Test
    void observationSearchOnTheChildIncludesEverySource() {
        String child = childBy(RIO + "|RIO1000123").getString("id");
        int viaChild = viewAll().get("/Observation?patient=" + child + "&_count=200").then().statusCode(200).extract().jsonPath().getInt("total");
        int rio = count("/Observation?patient.identifier=" + RIO + "|RIO1000123");
        int s1 = count("/Observation?patient.identifier=" + S1 + "|S1-000123");
        int centre = count("/Observation?patient.identifier=" + CENTRE + "|C-5501");
        assertThat(rio).isPositive();
        assertThat(s1).isPositive();
        assertThat(centre).isPositive();
        assertThat(viaChild).isEqualTo(rio + s1 + centre);
        assertThat(count("/Observation?subject=Patient/" + child)).isEqualTo(viaChild);
        // Another server's Patient with the same id is not this child: neither matched nor widened to the child's sources.
        assertThat(count("/Observation?subject=https://other.example.nhs.uk/fhir/Patient/" + child)).isZero();
        assertThat(count("/Observation?patient=https://other.example.nhs.uk/fhir/Patient/" + child + "&_count=200")).isZero();
        assertThat(count("/Consent?patient=" + child)).isGreaterThanOrEqualTo(3);
    }

    private int count(String url) {
        return viewAll().get(url).then().statusCode(200).extract().jsonPath().getInt("total");
    }

    @Test
    void everythingCoversEverySourceWithPagingTypeAndSince() {
        String child = childBy(RIO + "|RIO1000123").getString("id");
        JsonPath all = viewAll().get("/Patient/" + child + "/$everything?_count=500").then().statusCode(200).extract().jsonPath();
        List<String> types = all.getList("entry.resource.resourceType", String.class);
        assertThat(types).contains("Patient", "RelatedPerson", "Consent", "Observation", "CarePlan", "Provenance", "EpisodeOfCare");
        assertThat(types.stream().filter("Patient"::equals).count()).isEqualTo(4); // child record and three sources
        int total = all.getInt("total");

        JsonPath page = viewAll().get("/Patient/" + child + "/$everything?_count=5").then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("entry")).hasSize(5);
        assertThat(page.getList("link.relation", String.class)).contains("next");
        String next = page.getString("link.find { it.relation == 'next' }.url");
        JsonPath second = viewAll().basePath("").get(next).then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("entry")).hasSize(5);

        JsonPath consents = viewAll().get("/Patient/" + child + "/$everything?_type=Consent&_count=100").then().statusCode(200).extract().jsonPath();
        assertThat(consents.getList("entry.resource.resourceType", String.class)).containsOnly("Consent").hasSizeGreaterThanOrEqualTo(3);
        int since = viewAll().get("/Patient/" + child + "/$everything?_since=2999-01-01T00:00:00Z").then().statusCode(200)
                .extract().jsonPath().getInt("total");
        assertThat(since).isZero();
        assertThat(total).isGreaterThan(20);
    }

    @Test
    void servicesSummaryNamesOrganisationsTeamsAndContactsOnly() {
        String child = childBy(RIO + "|RIO1000123").getString("id");
        String body = viewAll().get("/Patient/" + child + "/$services").then().statusCode(200).extract().asString();
        JsonPath services = new JsonPath(body);
        assertThat(services.getString("resourceType")).isEqualTo("Parameters");
        List<String> orgs = services.getList("parameter.part.flatten().findAll { it.name == 'organisation' }.valueIdentifier.value", String.class);
        assertThat(orgs).contains("RX9", "M85001", "CC-TORFAEN-01").doesNotHaveDuplicates();
        List<String> names = services.getList("parameter.part.flatten().findAll { it.name == 'name' }.valueString", String.class);
        assertThat(names).contains("Pontypool children's centre", "Community health trust (RiO)");
        List<String> kinds = services.getList("parameter.part.flatten().findAll { it.name == 'serviceType' }.valueString", String.class);
        assertThat(kinds).contains("health visiting", "general practice", "children's centre");
        List<String> teams = services.getList("parameter.part.flatten().findAll { it.name == 'team' }.valueIdentifier.value", String.class);
        assertThat(teams).contains("HV-NORTH");
        assertThat(services.getList("parameter.part.flatten().findAll { it.name == 'contactCount' }.valueInteger", Integer.class))
                .allMatch(n -> n > 0);
        // No clinical detail: no codes, values or plan titles.
        assertThat(body).doesNotContain("Body weight").doesNotContain("12.4").doesNotContain("Healthy weight plan");
    }

    @Test
    void theSameCarerInTwoSystemsIsOneCarerRecord() {
        String child = childBy(RIO + "|RIO1000123").getString("id");
        JsonPath carers = viewAll().get("/RelatedPerson?patient=" + child + "&_tag=" + CARER_TAG).then().statusCode(200).extract().jsonPath();
        assertThat(carers.getInt("total")).isEqualTo(1);
        assertThat(carers.getList("entry[0].resource.identifier.value", String.class)).contains("S1-000900", "F-2201/carer1");
        String llyr = childBy(RIO + "|RIO1000125").getString("id");
        JsonPath father = viewAll().get("/RelatedPerson?patient=" + llyr + "&_tag=" + CARER_TAG).then().statusCode(200).extract().jsonPath();
        assertThat(father.getInt("total")).isEqualTo(1);
        assertThat(father.getList("entry[0].resource.identifier.value", String.class)).contains("S1-000901", "F-2202/carer1");
    }
}
