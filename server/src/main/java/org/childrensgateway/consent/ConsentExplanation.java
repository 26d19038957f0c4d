package org.childrensgateway.consent;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.List;
import java.util.Map;
import org.childrensgateway.security.Caller;
import org.childrensgateway.security.CallerContext;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.stereotype.Component;

/** Decision explanations on request ({@code _explain=true}), for the auditor role only. */
@Component
public class ConsentExplanation {

    private final Disclosure disclosure;

    public ConsentExplanation(Disclosure disclosure) {
        this.disclosure = disclosure;
    }

    /**
     * For auditors: which rule disclosed or withheld each matching item, for the auditor's own
     * request or, with {@code _explainFor=organisation|role|purpose}, as another caller would see it.
     */
    public OperationOutcome explain(List<Long> matching, Map<String, String[]> parameters) {
        Caller auditor = CallerContext.current().orElse(null);
        if (!disclosure.isAuditor(auditor)) {
            throw new ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException("Decision explanations are for the auditor role");
        }
        Caller perspective = auditor;
        String[] as = parameters.get("_explainFor");
        if (as != null && as.length > 0) {
            String[] parts = as[0].split("\\|");
            if (parts.length < 2) {
                throw new InvalidRequestException("_explainFor must be organisation|role|purpose");
            }
            perspective = new Caller("explained", null, parts[0], parts[1], parts.length > 2 ? parts[2] : null, auditor.scopes(), null);
        }
        Disclosure.Session session = disclosure.explainFor(perspective);
        session.permittedKeys(matching);
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION).setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics("Decisions for " + perspective.organisation() + " / " + perspective.role() + " / " + perspective.purposeOfUse());
        session.explanations().forEach(line -> outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics(line));
        return outcome;
    }
}
