package org.childrensgateway.audit;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.childrensgateway.security.Caller;

/**
 * One audited event, before it becomes an AuditEvent. Holds personal data (patient references, the
 * query): pass it to {@link AuditLog} only and never log it.
 *
 * @param action            FHIR interaction code ({@code read}, {@code vread}, {@code search-type},
 *                          {@code history-instance}, {@code create}, {@code update}, {@code delete},
 *                          {@code transaction}, ...), an operation name ({@code $access-report}), or
 *                          {@code ingest} / {@code export}
 * @param resourceType      the resource type the request addressed, if any
 * @param caller            who called; null is recorded as {@code anonymous}
 * @param patients          patients the event concerns, as {@code Patient/123}
 * @param resources         resources read or written, as {@code Type/id} (bounded)
 * @param resourcesOmitted  how many further resources were touched but not listed
 * @param query             the query string (search parameters with their values); stored base64 in
 *                          entity.query as IHE BALP does, never logged
 * @param outcome           FHIR AuditEvent.outcome
 * @param outcomeDescription what went wrong (or null on success)
 * @param breakGlassReason  the declared safeguarding reason when the caller broke the glass, else null
 * @param consent           the consent decision applied to this request, or null when none was made
 * @param purposeOfUse      v3 PurposeOfUse code (e.g. TREAT, SAFEGUARDING); defaults to the caller's
 * @param sourceNode        the gateway node that handled the request
 * @param clientAddress     the client's network address, or null
 * @param details           extra facts about the request (feed, file, record counts, request id)
 */
public record AuditRecord(
        String action,
        String resourceType,
        Caller caller,
        Set<String> patients,
        List<String> resources,
        int resourcesOmitted,
        String query,
        Outcome outcome,
        String outcomeDescription,
        String breakGlassReason,
        ConsentSummary consent,
        String purposeOfUse,
        String sourceNode,
        String clientAddress,
        Map<String, String> details) {

    public AuditRecord {
        patients = patients == null ? Set.of() : Set.copyOf(patients);
        resources = resources == null ? List.of() : List.copyOf(resources);
        details = details == null ? Map.of() : Map.copyOf(details);
        outcome = outcome == null ? Outcome.SUCCESS : outcome;
    }

    public boolean breakGlass() {
        return breakGlassReason != null && !breakGlassReason.isBlank();
    }

    /** FHIR R4 AuditEvent.outcome. */
    public enum Outcome {
        SUCCESS("0"), MINOR_FAILURE("4"), SERIOUS_FAILURE("8"), MAJOR_FAILURE("12");

        private final String code;

        Outcome(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** 2xx/3xx succeed; 4xx (including 401/403 denials) are minor failures; 5xx serious ones. */
        public static Outcome ofHttpStatus(int status) {
            if (status < 400) {
                return SUCCESS;
            }
            return status < 500 ? MINOR_FAILURE : SERIOUS_FAILURE;
        }
    }

    /**
     * What consent decided for this request.
     *
     * @param decision  {@code permit}, {@code deny} or {@code partial} (some content withheld)
     * @param permitted resources released
     * @param withheld  resources withheld or redacted
     * @param policies  the Consent (or policy) references the decision rested on, e.g. {@code Consent/9}
     */
    public record ConsentSummary(String decision, int permitted, int withheld, List<String> policies) {

        public ConsentSummary {
            policies = policies == null ? List.of() : List.copyOf(policies);
        }
    }
}
