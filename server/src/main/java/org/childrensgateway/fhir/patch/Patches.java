package org.childrensgateway.fhir.patch;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.function.UnaryOperator;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;

/** A patch document as a function from the stored resource (a copy) to the resource to store. */
public final class Patches {

    public static final String JSON_PATCH = "application/json-patch+json";

    private Patches() {
    }

    /**
     * JSON Patch; {@code strictJson} parses the result and must refuse what it would drop (the
     * request parser), so a patch cannot smuggle in an element that is then silently lost.
     */
    public static UnaryOperator<Resource> json(FhirContext context, IParser strictJson, String patch) {
        return current -> {
            String patched = JsonPatch.apply(context.newJsonParser().encodeResourceToString(current), patch);
            try {
                return (Resource) strictJson.parseResource(patched);
            } catch (DataFormatException | ClassCastException e) {
                throw new InvalidRequestException("The patched resource is not valid FHIR: " + e.getMessage());
            }
        };
    }

    /** FHIRPath Patch. */
    public static UnaryOperator<Resource> fhirPath(FhirContext context, Parameters patch) {
        FhirPathPatch fhirPath = new FhirPathPatch(context);
        return current -> {
            fhirPath.apply(current, patch);
            return current;
        };
    }
}
