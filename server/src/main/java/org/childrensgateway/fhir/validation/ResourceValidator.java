package org.childrensgateway.fhir.validation;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;

/** Checks a resource before it is stored; the outcome lists every problem found. */
public interface ResourceValidator {

    /** Issues found; an outcome with any error or fatal issue rejects the write (422). */
    OperationOutcome validate(IBaseResource resource);

    /** The same, given the resource's JSON as it will be stored, so the validator need not encode it again. */
    default OperationOutcome validate(IBaseResource resource, String json) {
        return validate(resource);
    }

    /**
     * Called before a write's database transaction begins: a validator that is not yet at full
     * speed may hold the write here, for a bounded time, rather than validate it slowly inside the
     * transaction. Never fails; what it waited for not being ready only means slower validation.
     */
    default void awaitWriteChecks() {
    }
}
