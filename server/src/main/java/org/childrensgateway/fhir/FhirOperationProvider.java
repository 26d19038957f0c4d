package org.childrensgateway.fhir;

/**
 * A Spring bean holding HAPI {@code @Operation} methods (a plain provider) that another capability
 * contributes, e.g. the person index's {@code Patient/$everything}; registered with the FHIR server.
 */
public interface FhirOperationProvider {
}
