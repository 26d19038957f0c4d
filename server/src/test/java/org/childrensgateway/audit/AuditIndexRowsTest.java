package org.childrensgateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.childrensgateway.search.SearchIndexer;
import org.childrensgateway.search.SearchParamRegistry;
import org.childrensgateway.security.Caller;
import org.childrensgateway.store.IndexRows;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The audit's index rows, written from the record, are exactly the rows the search indexer takes by
 * FHIRPath from the AuditEvent the record becomes ({@link AuditEventBuilder}), for every kind of
 * record: so a search of the audit trail (by patient, agent, purpose, date...) finds what it found.
 */
class AuditIndexRowsTest {

    static final SearchIndexer INDEXER = new SearchIndexer(FhirContext.forR4Cached(), new SearchParamRegistry());

    static Stream<Arguments> records() {
        Caller user = new Caller("app", "u-1", "RX9", "health-visitor", "TREAT", Set.of("system/*.rs"), "child at risk");
        return Stream.concat(AuditEventJsonTest.records(), Stream.of(
                Arguments.of("patients beside other resources, an absolute and a non-resource one",
                        new AuditRecord("search-type", "Observation", user, Set.of("Patient/1", "Patient/3"),
                                List.of("Patient/7", "Patient/1", "http://elsewhere/fhir/Patient/2", "Observation/5", "metadata", "Group/g"), 0,
                                "code=1", AuditRecord.Outcome.SUCCESS, null, "child at risk", null, "SAFEGUARDING", "n", null, Map.of())),
                Arguments.of("operations purpose", new AuditRecord("$access-report", "Patient", user, Set.of("Patient/1"), List.of(), 0, null,
                        AuditRecord.Outcome.SUCCESS, null, null, null, "OPERATIONS", "n", null, Map.of()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void theRowsOfTheBuiltEvent(String name, AuditRecord record) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        AuditEvent event = AuditEventBuilder.build(record, now);
        IndexRows built = INDEXER.index(event);
        IndexRows direct = AuditIndexRows.of(record, now);
        assertThat(direct.tokens).as(name).containsExactlyInAnyOrderElementsOf(built.tokens);
        assertThat(direct.references).as(name).containsExactlyInAnyOrderElementsOf(built.references);
        assertThat(direct.dates).as(name).containsExactlyInAnyOrderElementsOf(built.dates);
        assertThat(direct.strings).as(name).containsExactlyInAnyOrderElementsOf(built.strings);
        assertThat(built.tokens.size() + built.references.size()).as(name + ": the table indexes something").isPositive();
    }

    @org.junit.jupiter.api.Test
    void patientIsTheEntityRowsThatPointAtAPatient() {
        // AuditEvent?patient= is answered from the entity rows with target_type Patient (ReferenceAlias):
        // exact only while patient is entity.what restricted to Patients and entity takes every target.
        SearchParamRegistry registry = new SearchParamRegistry();
        var patient = registry.find("AuditEvent", "patient").orElseThrow();
        var entity = registry.find("AuditEvent", "entity").orElseThrow();
        var alias = org.childrensgateway.search.ReferenceAlias.of("AuditEvent", "patient").orElseThrow();
        assertThat(alias.storedAs()).isEqualTo(entity.name());
        assertThat(patient.expression()).isEqualTo(entity.expression());
        assertThat(patient.targetTypes()).containsExactly(alias.targetType());
        assertThat(entity.targetTypes()).isEmpty();
    }
}
