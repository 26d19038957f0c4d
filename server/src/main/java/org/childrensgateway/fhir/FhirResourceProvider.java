package org.childrensgateway.fhir;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.annotation.Validate;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;

/** Read, write, history, search and {@code $validate} for one resource type clients may write. */
public class FhirResourceProvider<T extends IBaseResource> extends ReadOnlyResourceProvider<T> {

    public FhirResourceProvider(Class<T> type, String typeName, FhirResourceService service) {
        super(type, typeName, service);
    }

    @Create
    public MethodOutcome create(@ResourceParam T resource, @ConditionalUrlParam String ifNoneExist) {
        DerivedRecords.refuseFromClient(resource);
        return outcome(service.create(resource, ifNoneExist));
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam T resource, @ConditionalUrlParam String conditional,
                                RequestDetails request) {
        DerivedRecords.refuseFromClient(resource);
        if (conditional != null) {
            return outcome(service.conditionalUpdate(resource, conditional));
        }
        return outcome(service.update(resource, id, ifMatch(request)));
    }

    @Delete
    public MethodOutcome delete(@IdParam IdType id, @ConditionalUrlParam String conditional, RequestDetails request) {
        if (conditional == null && (id == null || !id.hasIdPart())) {
            throw new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException(
                    "DELETE needs a resource id (" + typeName + "/{id}) or search criteria (" + typeName + "?identifier=...)");
        }
        if (conditional != null) {
            List<WriteOutcome> deleted = service.conditionalDelete(typeName, conditional);
            return deleteOutcome(deleted.isEmpty() ? "No " + typeName + " matched; nothing deleted" : "Deleted " + deleted.size());
        }
        WriteOutcome outcome = service.delete(typeName, id, ifMatch(request));
        return deleteOutcome(outcome.kind() == WriteOutcome.Kind.DELETED
                ? "Deleted " + typeName + "/" + id.getIdPart() + "; version " + outcome.stored().version() + " marks the deletion"
                : typeName + "/" + id.getIdPart() + " was already deleted");
    }

    @Validate
    public MethodOutcome validate(@ResourceParam T resource) {
        OperationOutcome outcome = service.validate(resource);
        if (outcome.getIssue().isEmpty()) {
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics("No issues found");
        }
        MethodOutcome result = new MethodOutcome();
        result.setOperationOutcome(outcome);
        return result;
    }

    private static String ifMatch(RequestDetails request) {
        String header = request.getHeader(Constants.HEADER_IF_MATCH);
        if (header == null || header.isBlank()) {
            return null;
        }
        return header.replace("W/", "").replace("\"", "").trim();
    }

    static MethodOutcome outcome(WriteOutcome write) {
        MethodOutcome outcome = new MethodOutcome();
        outcome.setId(write.resource().getIdElement());
        outcome.setResource(write.resource());
        outcome.setCreated(write.created());
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION).setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics(switch (write.kind()) {
                    case CREATED -> "Created " + write.resource().getIdElement().toUnqualifiedVersionless().getValue();
                    case UPDATED -> "Updated to version " + write.stored().version();
                    case UNCHANGED -> "No change: the stored version " + write.stored().version() + " already matches";
                    case DELETED -> "Deleted";
                });
        outcome.setOperationOutcome(oo);
        return outcome;
    }

    private static MethodOutcome deleteOutcome(String message) {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION).setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics(message);
        MethodOutcome outcome = new MethodOutcome();
        outcome.setOperationOutcome(oo);
        return outcome;
    }
}
