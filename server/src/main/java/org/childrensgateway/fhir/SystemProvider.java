package org.childrensgateway.fhir;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import org.hl7.fhir.r4.model.Bundle;

/** Server-level interactions: {@code batch} and {@code transaction} Bundles posted to the base. */
public class SystemProvider {

    private final BundleProcessor processor;

    public SystemProvider(BundleProcessor processor) {
        this.processor = processor;
    }

    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle, ca.uhn.fhir.rest.api.server.RequestDetails request) {
        return processor.process(bundle, request.getFhirServerBase());
    }
}
