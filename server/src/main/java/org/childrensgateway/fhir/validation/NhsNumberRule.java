package org.childrensgateway.fhir.validation;

import org.childrensgateway.mappers.transform.NhsNumber;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import java.util.List;

/**
 * An NHS number that fails the modulus-11 check is never stored as an identifier: it would link
 * one child's records to another's. The message names the element, never the number.
 */
public final class NhsNumberRule {

    private NhsNumberRule() {
    }

    public static void check(IBaseResource resource, OperationOutcome outcome) {
        List<Identifier> identifiers;
        if (resource instanceof Patient p) {
            identifiers = p.getIdentifier();
        } else if (resource instanceof RelatedPerson rp) {
            identifiers = rp.getIdentifier();
        } else {
            return;
        }
        for (int i = 0; i < identifiers.size(); i++) {
            Identifier id = identifiers.get(i);
            if (NhsNumber.SYSTEM.equals(id.getSystem())) {
                int index = i;
                NhsNumber.problem(id.getValue()).ifPresent(problem -> outcome.addIssue()
                        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                        .setCode(OperationOutcome.IssueType.INVALID)
                        .setDiagnostics(problem)
                        .addExpression(resource.fhirType() + ".identifier[" + index + "].value"));
            }
        }
    }
}
