package org.childrensgateway.identity;

import java.util.LinkedHashSet;
import java.util.Set;
import org.childrensgateway.fhir.DerivedRecords;
import org.childrensgateway.fhir.ResourceWriteListener;
import org.childrensgateway.fhir.WriteOutcome;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Feeds the person index from every write. Matching is deferred to just before the transaction
 * commits: an ingested record writes its Patient before its carers, and the carers' names are
 * evidence, so the record is matched once, complete. Child and carer records (the index's own
 * writes) are ignored, and so is everything written while the index is updating, so it never
 * re-triggers itself.
 */
@Component
class IdentityWriteListener implements ResourceWriteListener {

    private static final Object KEY = IdentityWriteListener.class;

    /** Source records written in one transaction. */
    static final class Pending {
        final Set<String> touched = new LinkedHashSet<>();
        final Set<String> deleted = new LinkedHashSet<>();
        boolean processing;
    }

    // Lazy: the identity service writes through FhirResourceService, which holds this listener.
    private final ObjectProvider<IdentityService> identity;

    IdentityWriteListener(ObjectProvider<IdentityService> identity) {
        this.identity = identity;
    }

    @Override
    public void written(WriteOutcome outcome) {
        String type = outcome.stored().type();
        if (!"Patient".equals(type) && !"RelatedPerson".equals(type)) {
            return;
        }
        if (outcome.resource() != null && DerivedRecords.isDerived(outcome.resource())) {
            return;
        }
        Pending pending = pending();
        if (pending == null || pending.processing) {
            return;
        }
        if ("Patient".equals(type)) {
            if (outcome.kind() == WriteOutcome.Kind.DELETED) {
                pending.deleted.add(outcome.stored().id());
                pending.touched.remove(outcome.stored().id());
            } else {
                pending.touched.add(outcome.stored().id());
            }
        } else if (outcome.resource() instanceof RelatedPerson rp && rp.hasPatient()
                && "Patient".equals(rp.getPatient().getReferenceElement().getResourceType())) {
            // A carer's name is evidence about the child it is recorded against.
            pending.touched.add(rp.getPatient().getReferenceElement().getIdPart());
        }
    }

    private Pending pending() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null; // FhirResourceService writes are always transactional
        }
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(KEY);
        if (pending == null) {
            Pending fresh = new Pending();
            TransactionSynchronizationManager.bindResource(KEY, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    fresh.processing = true;
                    identity.getObject().process(fresh.touched, fresh.deleted);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
                }
            });
            pending = fresh;
        }
        return pending;
    }
}
