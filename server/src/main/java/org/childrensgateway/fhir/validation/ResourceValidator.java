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
}
