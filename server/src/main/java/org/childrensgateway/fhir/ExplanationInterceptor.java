package org.childrensgateway.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import jakarta.servlet.http.HttpServletRequest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.stereotype.Component;

/** Puts an auditor's decision explanation into the search Bundle as an {@code outcome} entry, even when nothing matched. */
@Component
@Interceptor
public class ExplanationInterceptor implements FhirInterceptor {

    static final String ATTRIBUTE = "gateway.consent-explanation";

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean addExplanation(HttpServletRequest request, ResponseDetails response) {
        if (request.getAttribute(ATTRIBUTE) instanceof OperationOutcome outcome && response.getResponseResource() instanceof Bundle bundle) {
            // Every searchset entry needs a fullUrl; the explanation is no stored resource, so a urn:uuid.
            bundle.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID()).setResource(outcome)
                    .getSearch().setMode(Bundle.SearchEntryMode.OUTCOME);
        }
        return true;
    }
}
