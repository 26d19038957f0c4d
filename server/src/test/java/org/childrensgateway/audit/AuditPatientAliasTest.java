package org.childrensgateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.childrensgateway.store.ResourceStore;
import org.childrensgateway.store.StoredResource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code AuditEvent.patient} has no index rows of its own: it is answered from the {@code entity}
 * rows that point at a Patient ({@code search.ReferenceAlias}). An event of an Observation's read
 * names two entities, the Observation and its Patient; every way of using {@code patient} — the
 * search, {@code _include}, {@code _revinclude} and {@code _sort} — must see only the Patient.
 */
class AuditPatientAliasTest extends GatewayTestBase {

    private static final String READ = "http://hl7.org/fhir/restful-interaction|read";

    @Autowired
    private ResourceStore store;

    private RequestSpecification auditor() {
        return fhirAs("ig-auditor");
    }

    /** Just before now: the lower bound of the audit searches of one test. */
    private static Instant since() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).minusMillis(5);
    }

    /** A child and one Observation of theirs, read once, so that one AuditEvent names both. */
    private record Read(String patient, String observation) {}

    private Read readObservationOfANewChild() {
        String patient = fhir().body(FhirFixtures.patient(FhirFixtures.uniqueId("AL"), FhirFixtures.nhsNumber(), "Alias", "Ada",
                        "2023-03-03", "female", "LL11 1AA"))
                .post("/Patient").then().statusCode(201).extract().jsonPath().getString("id");
        String observation = fhir().body(FhirFixtures.observation("Patient/" + patient, "27113001", "2025-02-02T10:00:00Z", 7.2))
                .post("/Observation").then().statusCode(201).extract().jsonPath().getString("id");
        fhir().get("/Observation/" + observation).then().statusCode(200);
        return new Read(patient, observation);
    }

    private JsonPath audits(Instant since, String query) {
        return auditor().get("/AuditEvent?date=ge" + since + "&subtype=" + READ + "&_count=100&" + query)
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void searchByPatientSeesOnlyThePatientNotTheOtherEntities() {
        Instant start = since();
        Read read = readObservationOfANewChild();
        assertThat(audits(start, "patient=Patient/" + read.patient()).getInt("total")).isEqualTo(1);
        assertThat(audits(start, "patient=" + read.patient()).getInt("total")).isEqualTo(1);
        // The same event's other entity is found by entity, not by patient.
        assertThat(audits(start, "entity=Observation/" + read.observation()).getInt("total")).isEqualTo(1);
        assertThat(audits(start, "patient=Observation/" + read.observation()).getInt("total")).isZero();
        assertThat(audits(start, "patient=" + read.observation()).getInt("total")).isZero();
        assertThat(audits(start, "patient:missing=true&entity=Observation/" + read.observation()).getInt("total")).isZero();
    }

    /**
     * No caller may see both an AuditEvent and the Observation it names (audit records are for auditors
     * only), so over the API the gate hides whatever a wrong {@code _include}/{@code _revinclude} would
     * add: these are checked where they are decided, the store's statements, on the real database.
     */
    @Test
    void includeAndRevincludeByPatientFollowOnlyThePatientEntity() {
        Instant start = since();
        Read read = readObservationOfANewChild();
        String event = audits(start, "patient=Patient/" + read.patient()).getString("entry[0].resource.id");
        long eventKey = store.read("AuditEvent", event).orElseThrow().key();
        StoredResource patient = store.read("Patient", read.patient()).orElseThrow();
        StoredResource observation = store.read("Observation", read.observation()).orElseThrow();

        assertThat(store.loadIncludes(List.of(eventKey), "AuditEvent", "patient", null)).extracting(StoredResource::id)
                .containsExactly(read.patient());
        assertThat(store.loadIncludes(List.of(eventKey), "AuditEvent", "entity", null)).extracting(StoredResource::id)
                .containsExactlyInAnyOrder(read.patient(), read.observation());
        // Every event naming the child (its create, the Observation's create, the read, the audit searches): the read among them.
        assertThat(store.loadRevIncludes(List.of(patient), "AuditEvent", "patient")).extracting(StoredResource::id)
                .contains(event);
        assertThat(store.loadRevIncludes(List.of(observation), "AuditEvent", "patient")).isEmpty();
        assertThat(store.loadRevIncludes(List.of(observation), "AuditEvent", "entity")).extracting(StoredResource::id)
                .contains(event);
    }

    @Test
    void sortByPatientSortsByThePatientNotByTheEventsOtherEntities() {
        Instant start = since();
        List<Read> reads = new ArrayList<>();
        // Ids are the server's: add children until ordering by the Patient and by the smallest entity id of
        // any type differ, so that a sort reading every entity row would give another order.
        while (reads.size() < 2 || byPatient(reads).equals(bySmallestEntity(reads))) {
            reads.add(readObservationOfANewChild());
            assertThat(reads).as("server ids that never separate the two orders").hasSizeLessThan(40);
        }
        String query = "patient=" + String.join(",", reads.stream().map(r -> "Patient/" + r.patient()).toList()) + "&_sort=patient";
        JsonPath found = audits(start, query);
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < found.getInt("total"); i++) {
            List<String> named = found.getList("entry[" + i + "].resource.entity.what.reference", String.class);
            patients.add(named.stream().filter(r -> r.startsWith("Patient/")).findFirst().orElseThrow().substring("Patient/".length()));
        }
        assertThat(patients).isEqualTo(byPatient(reads));
    }

    private static List<String> byPatient(List<Read> reads) {
        return reads.stream().map(Read::patient).sorted().toList();
    }

    private static List<String> bySmallestEntity(List<Read> reads) {
        return reads.stream().sorted(Comparator.comparing(r -> r.patient().compareTo(r.observation()) < 0 ? r.patient() : r.observation()))
                .map(Read::patient).toList();
    }
}
