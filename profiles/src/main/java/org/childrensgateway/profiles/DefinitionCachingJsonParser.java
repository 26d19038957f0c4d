package org.childrensgateway.profiles;

import java.util.List;
import java.util.Map;
import org.hl7.fhir.exceptions.FHIRFormatError;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.JsonParser;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.utilities.validation.ValidationMessage;

/**
 * The validator's element-model JSON parser, remembering which StructureDefinition a resource type
 * name resolves to. The parser looks it up by walking every StructureDefinition the context holds
 * (several hundred, with a string built per candidate) for every resource it parses: 3.6% of ingest
 * CPU in the benchmark. The definitions are fixed once the validator is built, so the answer is too.
 * Names that do not resolve are not remembered, so their errors are reported every time.
 */
final class DefinitionCachingJsonParser extends JsonParser {

    private final Map<String, StructureDefinition> definitions;

    DefinitionCachingJsonParser(IWorkerContext context, Map<String, StructureDefinition> definitions) {
        super(context);
        this.definitions = definitions;
    }

    @Override
    protected StructureDefinition getDefinition(List<ValidationMessage> errors, int line, int col, String name) throws FHIRFormatError {
        if (name == null) {
            return super.getDefinition(errors, line, col, name);
        }
        StructureDefinition known = definitions.get(name);
        if (known != null) {
            return known;
        }
        StructureDefinition found = super.getDefinition(errors, line, col, name);
        if (found != null && found.hasSnapshot()) {
            definitions.put(name, found);
        }
        return found;
    }
}
