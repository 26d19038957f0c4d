package org.childrensgateway.audit;

import java.time.Instant;
import java.util.Date;
import org.childrensgateway.search.DateRanges;
import org.childrensgateway.security.Caller;
import org.childrensgateway.store.IndexRows;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;

/**
 * The search index rows of the AuditEvent a record becomes, taken from the record where
 * {@link AuditEventBuilder} puts each value that an AuditEvent search parameter reads, instead of
 * evaluating every parameter's FHIRPath over a built event (a cost on every audited request).
 * {@code AuditIndexRowsTest} holds them equal to the {@code SearchIndexer}'s rows of the built event.
 */
final class AuditIndexRows {

    private static final String OUTCOME_SYSTEM = "http://hl7.org/fhir/audit-event-outcome";
    private static final String ACTION_SYSTEM = "http://hl7.org/fhir/audit-event-action";

    private AuditIndexRows() {
    }

    static IndexRows of(AuditRecord record, Instant recorded) {
        IndexRows rows = new IndexRows();
        String action = record.action() == null ? "unknown" : record.action();
        // date: AuditEvent.recorded
        DateRanges.Range date = DateRanges.of(new InstantType(Date.from(recorded)));
        rows.dates.add(new IndexRows.DateRange("date", date.low(), date.high()));
        // entity (and so patient): AuditEvent.entity.what (the patients, then the other resources named)
        for (String patient : record.patients()) {
            reference(rows, patient);
        }
        for (String resource : record.resources()) {
            if (!record.patients().contains(resource) && AuditEventBuilder.isResourceType(new IdType(resource).getResourceType())) {
                reference(rows, resource);
            }
        }
        // type and subtype
        switch (action) {
            case "ingest" -> token(rows, "type", AuditEventBuilder.DCM, "110107");
            case "export" -> token(rows, "type", AuditEventBuilder.DCM, "110106");
            default -> token(rows, "type", AuditEventBuilder.AUDIT_EVENT_TYPE, "rest");
        }
        if (AuditEventBuilder.isRestCode(action)) {
            token(rows, "subtype", AuditEventBuilder.RESTFUL_INTERACTION, action);
        } else {
            if (action.startsWith("$")) {
                token(rows, "subtype", AuditEventBuilder.RESTFUL_INTERACTION, "operation");
            }
            token(rows, "subtype", AuditEventBuilder.GATEWAY_ACTION, action);
        }
        if (!record.patients().isEmpty()) {
            token(rows, "subtype", AuditEventBuilder.DCM, "110110");
        }
        token(rows, "outcome", OUTCOME_SYSTEM, AuditEventOutcome.fromCode(record.outcome().code()).toCode());
        // agent: every agent.who is an identifier, no reference: nothing to index.
        // altid: the client's, the user's, the organisation's
        Caller caller = record.caller();
        String clientId = caller == null || caller.clientId() == null ? AuditEventBuilder.ANONYMOUS : caller.clientId();
        boolean hasUser = caller != null && caller.userId() != null && !caller.userId().isBlank();
        token(rows, "altid", null, clientId);
        if (hasUser) {
            token(rows, "altid", null, caller.userId());
        }
        if (caller != null && caller.organisation() != null && !caller.organisation().isBlank()) {
            token(rows, "altid", null, caller.organisation());
        }
        if (caller != null && caller.role() != null) {
            token(rows, "agent-role", AuditEventBuilder.ROLE, caller.role());
        }
        // purpose: purposeOfEvent | agent.purposeOfUse, the same codings on both (a union keeps one of each)
        if (record.purposeOfUse() != null && !record.purposeOfUse().isBlank()) {
            String code = record.purposeOfUse();
            String[] v3 = AuditEventBuilder.V3_PURPOSE_FOR.get(code);
            if (v3 == null) {
                token(rows, "purpose", AuditEventBuilder.ACT_REASON, code);
            } else {
                token(rows, "purpose", AuditEventBuilder.ACT_REASON, v3[0]);
                token(rows, "purpose", AuditEventBuilder.PURPOSE, code);
            }
        }
        if (record.breakGlass()) {
            token(rows, "purpose", AuditEventBuilder.ACT_REASON, AuditEventBuilder.BREAK_GLASS);
        }
        AuditEventAction act = AuditEventBuilder.actionCode(action);
        token(rows, "action", ACTION_SYSTEM, act.toCode());
        // _tag: an AuditEvent carries no meta.tag.
        return rows;
    }

    private static void token(IndexRows rows, String name, String system, String code) {
        if (code != null && !code.isEmpty()) {
            rows.tokens.add(new IndexRows.Token(name, system, code));
        }
    }

    /**
     * As the indexer: a relative Type/id reference, as entity. No patient row: {@code patient} is
     * answered from the entity rows that point at a Patient ({@code search.ReferenceAlias}).
     */
    private static void reference(IndexRows rows, String reference) {
        IdType id = new IdType(reference);
        if (!id.hasResourceType() || !id.hasIdPart() || id.isAbsolute()) {
            return;
        }
        rows.references.add(new IndexRows.Ref("entity", id.getResourceType(), id.getIdPart()));
    }
}
