package org.childrensgateway.audit;

import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import org.childrensgateway.fhir.ResourceWriteListener;
import org.childrensgateway.fhir.WriteOutcome;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Adds every resource a request writes (directly, in a transaction Bundle, or by an ingest run on
 * the request's thread) and the patients it concerns to that request's audit record.
 */
@Component
public class AuditWriteListener implements ResourceWriteListener {

    /** The transaction's buffer of writes waiting for its commit. */
    private static final Object KEY = AuditWriteListener.class;

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
            Set<String> concerned = new LinkedHashSet<>();
            if ("Patient".equals(outcome.stored().type())) {
                concerned.add(ref);
            } else if (outcome.resource() != null) {
                patients.collect(outcome.resource(), concerned::add);
            }
            whenCommitted(() -> {
                pending.resource(ref);
                concerned.forEach(pending::patient);
            });
        });
    }

    /**
     * A write is added to the record once its transaction commits: a write that was rolled back
     * (a refused entry, or an ingest batch written again record by record) stored nothing, and the
     * record must not name resources that do not exist. One buffer per transaction, however many
     * resources it writes (a transaction Bundle, an ingest batch).
     */
    private static void whenCommitted(Runnable add) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            add.run();
            return;
        }
        @SuppressWarnings("unchecked")
        List<Runnable> buffered = (List<Runnable>) TransactionSynchronizationManager.getResource(KEY);
        if (buffered == null) {
            List<Runnable> fresh = new ArrayList<>();
            TransactionSynchronizationManager.bindResource(KEY, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
                    if (status == STATUS_COMMITTED) {
                        fresh.forEach(Runnable::run);
                    }
                }
            });
            buffered = fresh;
        }
        buffered.add(add);
    }
}
