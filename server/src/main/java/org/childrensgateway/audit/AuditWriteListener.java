package org.childrensgateway.audit;

import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import org.childrensgateway.fhir.ResourceWriteListener;
import org.childrensgateway.fhir.WriteOutcome;
import org.springframework.stereotype.Component;

/**
 * Adds every resource a request writes (directly, in a transaction Bundle, or by an ingest run on
 * the request's thread) and the patients it concerns to that request's audit record.
 */
@Component
public class AuditWriteListener implements ResourceWriteListener {

    private final PatientReferences patients;

    public AuditWriteListener(PatientReferences patients) {
        this.patients = patients;
    }

    @Override
    public void written(WriteOutcome outcome) {
        if ("AuditEvent".equals(outcome.stored().type())) {
            // Only AuditLog writes AuditEvents, and never through here: e.g. a transaction Bundle may not forge one.
            throw new MethodNotAllowedException("AuditEvent is written only by the gateway; clients may read and search it",
                    RequestTypeEnum.GET);
        }
        AuditTrail.current().ifPresent(pending -> {
            if (outcome.kind() == WriteOutcome.Kind.UNCHANGED) {
                return;
            }
            String ref = outcome.stored().type() + "/" + outcome.stored().id();
            pending.resource(ref);
            if ("Patient".equals(outcome.stored().type())) {
                pending.patient(ref);
            } else if (outcome.resource() != null) {
                patients.collect(outcome.resource(), pending::patient);
            }
        });
    }
}
