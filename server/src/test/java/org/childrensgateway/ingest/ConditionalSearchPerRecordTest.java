package org.childrensgateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.conformance.EmittedConformanceConfiguration;
import org.childrensgateway.fhir.FhirFixtures;
import org.childrensgateway.store.CountingDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * A conditional write's criteria are searched once per record: the ingest's own look at the match
 * (whether an identity-only SystmOne Patient is held, a partial update's base) is carried to the
 * entry's id assignment and its write, and a transaction's conditional create reuses the match its
 * id was assigned from. Counted by the statements executed ({@link CountingDataSource}), with what
 * is stored checked too.
 */
@Import({EmittedConformanceConfiguration.class, CountingDataSource.class})
// The same configuration as the other counting tests (one cached context, its own database folder).
@TestPropertySource(properties = "gateway.embedded-db.data-dir=target/test-postgres-counting")
class ConditionalSearchPerRecordTest extends GatewayTestBase {

    private static final String S1 = "https://fhir.childrens-gateway.uk/Id/systmone/M85001/patient";
    private static final String SOURCE_RECORDS_ONLY = "&_tag:not=https://fhir.childrens-gateway.uk/CodeSystem/record-kind|";
    /** An exact identifier search's SQL (SearchSqlBuilder: no type test on resource, the token index's EXISTS first). */
    private static final String IDENTIFIER_SEARCH = "where not r.deleted and (r.pid = any(array(select x.pid from sp_token x";
    /** A criteria lock on its own, and several in one statement (PostgresResourceStore.lockCriteria). */
    private static final String CRITERIA_LOCK = "select pg_advisory_xact_lock(hashtextextended(?, 0))";
    private static final String CRITERIA_LOCKS = "from (select k from unnest(?::text[]) as u(k) order by 1) s";

    private static String extract(String id, String patientBody) {
        return """
                <SystmOneExtract xmlns="urn:example:systmone-extract:1" organisation="M85001" generated="2026-11-01T02:00:00Z">
                  <Patient id="%s">%s</Patient>
                </SystmOneExtract>
                """.formatted(id, patientBody);
    }

    private static String event(String id, String value) {
        return """
                <Events><Event id="%s" date="2025-03-10T10:30:00Z" author="HV Jane Price">
                  <Code scheme="SNOMED" value="27113001" display="Body weight"/><Value numeric="%s" unit="kg"/>
                </Event></Events>
                """.formatted(id, value);
    }

    private Map<String, Long> sendCounted(String body) {
        CountingDataSource.reset();
        asFeed("systmone").contentType("application/xml").body(body).post("/ingest/systmone/extract").then()
                .statusCode(200).body("quarantined", equalTo(0));
        return CountingDataSource.snapshot();
    }

    private static long count(Map<String, Long> executed, String fragment) {
        return executed.entrySet().stream().filter(e -> e.getKey().contains(fragment)).mapToLong(Map.Entry::getValue).sum();
    }

    @Test
    void anIdentityOnlyRecordSearchesEachConditionalEntryOnce() {
        String id = FhirFixtures.uniqueId("S1-ONCE");
        sendCounted(extract(id, """
                <Name><Forenames>Owain</Forenames><Surname>Pryce</Surname></Name>
                <DateOfBirth>2024-03-03</DateOfBirth><Sex>M</Sex>
                <Address><Line>5 Heol Fach</Line><Postcode>NP4 7AB</Postcode></Address>
                """));
        // The Patient by identity only (a conditional create) and one event (a conditional update):
        // two conditional entries, each searched once under its criteria lock. Before: the Patient
        // three times (the ingest's check, the id assignment, the create) and the event once.
        Map<String, Long> executed = sendCounted(extract(id, event(id + "-E1", "11.4")));
        assertThat(count(executed, IDENTIFIER_SEARCH)).as("identifier searches, %s", executed).isEqualTo(2);
        assertThat(count(executed, CRITERIA_LOCK) + count(executed, CRITERIA_LOCKS)).as("criteria lock statements, %s", executed).isEqualTo(2);
        // The event is stored against the Patient the identity named; the Patient is not written again.
        fhirAs("systmone-gp").get("/Patient?identifier=" + S1 + "|" + id + SOURCE_RECORDS_ONLY).then()
                .body("total", equalTo(1)).body("entry[0].resource.meta.versionId", equalTo("1"))
                .body("entry[0].resource.name[0].family", equalTo("Pryce"));
        fhirAs("systmone-gp").get("/Observation?patient.identifier=" + S1 + "|" + id).then().body("total", equalTo(1));
    }

    @Test
    void aFullRecordLocksItsCriteriaInOneStatementAndSearchesEachOnce() {
        String id = FhirFixtures.uniqueId("S1-FULL");
        String record = """
                <Name><Forenames>Nia</Forenames><Surname>Bevan</Surname></Name>
                <DateOfBirth>2024-05-05</DateOfBirth><Sex>F</Sex>
                <Address><Line>9 Heol Hir</Line><Postcode>NP4 5AB</Postcode></Address>
                <RegisteredPractice ods="M85001"/>
                <Carers><Carer id="%1$s-C" relationship="MTH" parentalResponsibility="true">
                  <Name><Forenames>Eira</Forenames><Surname>Bevan</Surname></Name><Telephone>01495 000111</Telephone></Carer></Carers>
                %2$s
                <CarePlans><CarePlan id="%1$s-P" status="active" start="2024-08-05" title="Healthy child plan"><Goal>On centile</Goal></CarePlan></CarePlans>
                """.formatted(id, event(id + "-E1", "7.1"));
        // Patient, carer, event and care plan: four conditional updates, their criteria locked in one
        // statement and each searched once. Before: one lock statement each.
        Map<String, Long> executed = sendCounted(extract(id, record));
        assertThat(count(executed, CRITERIA_LOCKS)).as("batched criteria locks, %s", executed).isEqualTo(1);
        assertThat(count(executed, CRITERIA_LOCK)).as("single criteria locks, %s", executed).isZero();
        assertThat(count(executed, IDENTIFIER_SEARCH)).as("identifier searches, %s", executed).isEqualTo(4);
        fhirAs("systmone-gp").get("/Patient?identifier=" + S1 + "|" + id + SOURCE_RECORDS_ONLY).then().body("total", equalTo(1));
        fhirAs("systmone-gp").get("/Observation?patient.identifier=" + S1 + "|" + id).then().body("total", equalTo(1));
        fhirAs("systmone-gp").get("/CarePlan?patient.identifier=" + S1 + "|" + id).then().body("total", equalTo(1));
        // Sent again unchanged (another hash: a telephone differs), nothing but the carer changes.
        Map<String, Long> again = sendCounted(extract(id, record.replace("01495 000111", "01495 000222")));
        assertThat(count(again, CRITERIA_LOCKS)).as("batched criteria locks, %s", again).isEqualTo(1);
        assertThat(count(again, IDENTIFIER_SEARCH)).as("identifier searches, %s", again).isEqualTo(4);
        fhirAs("systmone-gp").get("/Patient?identifier=" + S1 + "|" + id + SOURCE_RECORDS_ONLY).then()
                .body("entry[0].resource.meta.versionId", equalTo("1"));
    }

    @Test
    void aPartialRecordSearchesItsPatientOnce() {
        String id = FhirFixtures.uniqueId("S1-PART");
        sendCounted(extract(id, """
                <Name><Forenames>Megan</Forenames><Surname>Lloyd</Surname></Name>
                <DateOfBirth>2024-04-04</DateOfBirth><Sex>F</Sex>
                <Address><Line>7 Heol Fawr</Line><Postcode>NP4 8AB</Postcode></Address>
                """));
        // A partial Patient (a conditional update merged over the stored one): searched once by the
        // merge and reused by the id assignment and the update. Before: twice.
        Map<String, Long> executed = sendCounted(extract(id, "<Sex>F</Sex><Address><Line>8 Stryd</Line><Postcode>NP4 9AB</Postcode></Address>"));
        assertThat(count(executed, IDENTIFIER_SEARCH)).as("identifier searches, %s", executed).isEqualTo(1);
        fhirAs("systmone-gp").get("/Patient?identifier=" + S1 + "|" + id + SOURCE_RECORDS_ONLY).then()
                .body("total", equalTo(1)).body("entry[0].resource.meta.versionId", equalTo("2"))
                .body("entry[0].resource.name[0].family", equalTo("Lloyd"))
                .body("entry[0].resource.address[0].postalCode", equalTo("NP4 9AB"));
    }
}
