package org.childrensgateway.access;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.Map;
import org.childrensgateway.security.Caller;
import org.childrensgateway.security.CallerContext;
import org.childrensgateway.store.SearchQuery;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.stereotype.Component;

/** Decision explanations on request ({@code _explain=true}), for the auditor role only. */
@Component
public class DecisionExplanation {

    private final AccessGate gate;

    public DecisionExplanation(AccessGate gate) {
        this.gate = gate;
    }

    /**
     * For auditors: which rule disclosed or withheld each matching item, for the auditor's own
     * request or, with {@code _explainFor=organisation|role|purpose}, as another caller would see it.
     */
    public OperationOutcome explain(SearchQuery query, Map<String, String[]> parameters) {
        Caller auditor = CallerContext.current().orElse(null);
        if (!gate.isAuditor(auditor)) {
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
        GatedRepository session = gate.explainFor(perspective);
        session.search(query);
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION).setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics("Decisions for " + perspective.organisation() + " / " + perspective.role() + " / " + perspective.purposeOfUse());
        session.explanations().forEach(line -> outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics(line));
        return outcome;
    }
}
