package org.childrensgateway.fhir;

/** Marks a Spring bean as a HAPI interceptor to register on the FHIR server (see {@link FhirInterceptors}). */
public interface FhirInterceptor {
}
