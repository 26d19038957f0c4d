package org.childrensgateway.limits;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.childrensgateway.fhir.FhirInterceptor;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;

/**
 * Refuses a batch or transaction with more entries than {@link RequestLimits#maxBundleEntries()}
 * (413) once HAPI has parsed it (the body limit bounds that) and before any entry is processed.
 */
@Component
@Interceptor
public class BundleEntryLimitInterceptor implements FhirInterceptor {

    private final int maxEntries;

    public BundleEntryLimitInterceptor(RequestLimits limits) {
        this.maxEntries = limits.maxBundleEntries();
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void checkEntries(RequestDetails request) {
        if (request.getResource() instanceof Bundle bundle && bundle.getEntry().size() > maxEntries) {
            throw new LimitExceeded("The Bundle has " + bundle.getEntry().size() + " entries, more than the limit of " + maxEntries);
        }
    }
}
