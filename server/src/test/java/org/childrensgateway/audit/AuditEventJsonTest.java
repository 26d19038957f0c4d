package org.childrensgateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.childrensgateway.security.Caller;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The AuditEvent JSON written directly is the JSON HAPI writes for the AuditEvent
 * {@link AuditEventBuilder} builds, element for element (stored as jsonb, so key order is not kept
 * either way): the trail's readers, its search and its hash chain see exactly what they saw before.
 */
class AuditEventJsonTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<Arguments> records() {
        Caller user = new Caller("rio-app", "nurse-7", "RX9", "health-visitor", "TREAT", Set.of("user/*.read"), null);
        Caller system = new Caller("systmone-gp", null, "B86001", "gp", "TREAT", Set.of(), null);
        Caller auditor = new Caller("ig", "aud-1", "RX9", "auditor", "AUDIT", Set.of(), null);
        Caller roleless = new Caller("x", "  ", "", null, null, Set.of(), null);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("request-id", "req-1");
        details.put("feed", "rio");
        details.put("long", "x".repeat(700));
        return Stream.of(
                Arguments.of("read by a user", new AuditRecord("read", "Patient", user, Set.of("Patient/1"), List.of("Patient/1"), 0, null,
                        AuditRecord.Outcome.SUCCESS, null, null, new AuditRecord.ConsentSummary("permit", 1, 0, List.of("Consent/5")),
                        "TREAT", "node-a", "10.0.0.1", Map.of("request-id", "r-1"))),
                Arguments.of("search by a system", new AuditRecord("search-type", "Observation", system, Set.of("Patient/1", "Patient/2"),
                        List.of("Observation/3", "Patient/2", "Observation/4/_history/2", "well-known/x"), 7, "subject=Patient/1&_count=10",
                        AuditRecord.Outcome.SUCCESS, null, null, new AuditRecord.ConsentSummary("partial", 2, 1, List.of()),
                        "TREAT", "node-a", null, details)),
                Arguments.of("break-glass", new AuditRecord("$everything", "Patient", user, Set.of("Patient/9"), List.of(), 0, "",
                        AuditRecord.Outcome.SUCCESS, null, "S47 enquiry", null, "TREAT", null, "", Map.of())),
                Arguments.of("write refused", new AuditRecord("update", "Observation", system, Set.of(), List.of("Observation/3"), 0, null,
                        AuditRecord.Outcome.MINOR_FAILURE, "refused: " + "y".repeat(1200), null, null, null, "node-b", "::1", Map.of())),
                Arguments.of("auditor purpose", new AuditRecord("$audit-report", null, auditor, Set.of("Patient/1"), List.of(), 0, "patient=1",
                        AuditRecord.Outcome.SUCCESS, null, null, null, "AUDIT", "n", null, Map.of())),
                Arguments.of("ingest, blank user, no role", new AuditRecord("ingest", null, roleless, Set.of(), List.of(), 0, null,
                        AuditRecord.Outcome.SERIOUS_FAILURE, "", null, null, "OPERATIONS", "n", null, Map.of("file", "a.csv"))),
                Arguments.of("export, anonymous", new AuditRecord("export", null, null, Set.of(), List.of(), 0, null,
                        AuditRecord.Outcome.SUCCESS, null, null, null, null, null, null, Map.of())),
                Arguments.of("no action", new AuditRecord(null, null, null, Set.of(), List.of(), 0, null,
                        AuditRecord.Outcome.MAJOR_FAILURE, null, null, null, " ", null, null, Map.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void writesWhatHapiWouldEncode(String name, AuditRecord record) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        AuditEvent event = AuditEventBuilder.build(record, now);
        event.setId(new IdType("AuditEvent", "abc-123", "1"));
        event.getMeta().setVersionId("1").setLastUpdated(java.util.Date.from(now));
        JsonNode hapi = MAPPER.readTree(FHIR.newJsonParser().encodeResourceToString(event));
        JsonNode direct = MAPPER.readTree(AuditEventJson.write(record, "abc-123", now));
        assertThat(direct).isEqualTo(hapi);
    }
}
