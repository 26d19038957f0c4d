package org.childrensgateway.security;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;

/** Security failures written as FHIR OperationOutcomes, the error format vendor systems handle. */
public final class OperationOutcomeResponses {

    private OperationOutcomeResponses() {
    }

    public static void write(HttpServletResponse response, int status, OperationOutcome.IssueType type, String message) throws IOException {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(type).setDiagnostics(message);
        response.setStatus(status);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.getOutputStream().write(FhirContext.forR4Cached().newJsonParser().encodeResourceToString(oo)
                .getBytes(StandardCharsets.UTF_8));
    }
}
