package org.childrensgateway.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Patch;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.annotation.Validate;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.childrensgateway.fhir.patch.Patches;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;

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

    /**
     * JSON Patch ({@code application/json-patch+json}) or FHIRPath Patch (a Parameters resource, as
     * {@code application/fhir+json} or {@code +xml}), on {@code Type/id} or conditionally on
     * {@code Type?criteria}; the write rules are PUT's ({@link FhirResourceService#patch}).
     */
    @Patch
    public MethodOutcome patch(@IdParam IdType id, @ConditionalUrlParam String conditional, PatchTypeEnum patchType,
                               @ResourceParam String body, RequestDetails request) {
        if (conditional == null && (id == null || !id.hasIdPart())) {
            throw new InvalidRequestException(
                    "PATCH needs a resource id (" + typeName + "/{id}) or search criteria (" + typeName + "?identifier=...)");
        }
        if (body == null || body.isBlank()) {
            throw new InvalidRequestException("PATCH needs a patch document in the body");
        }
        FhirContext context = request.getFhirContext(); // the strict request parser: nothing is dropped
        UnaryOperator<Resource> patcher = switch (patchType) {
            case JSON_PATCH -> Patches.json(context, context.newJsonParser(), body);
            case FHIR_PATCH_JSON, FHIR_PATCH_XML -> Patches.fhirPath(context, parseParameters(context, patchType, body));
            default -> throw new InvalidRequestException(
                    "Patch as " + patchType.getContentType() + " is not supported: send JSON Patch (" + Patches.JSON_PATCH + ") "
                            + "or FHIRPath Patch (a Parameters resource, application/fhir+json)");
        };
        WriteOutcome written = service.patch(typeName, id, conditional, patcher, ifMatch(request));
        MethodOutcome outcome = outcome(written);
        // HAPI sets ETag for update but not for patch; a client needs it for its next If-Match.
        request.getResponse().addHeader(Constants.HEADER_ETAG, "W/\"" + written.stored().version() + "\"");
        return outcome;
    }

    private static Parameters parseParameters(FhirContext context, PatchTypeEnum type, String body) {
        try {
            IParser parser = type == PatchTypeEnum.FHIR_PATCH_XML ? context.newXmlParser() : context.newJsonParser();
            return parser.parseResource(Parameters.class, body);
        } catch (DataFormatException e) {
            throw new InvalidRequestException(
                    "A FHIRPath Patch is a Parameters resource of operations: " + e.getMessage());
        }
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
