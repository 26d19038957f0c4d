package org.childrensgateway.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Base;

/**
 * A search parameter expression that is a plain path ({@code Patient.name.given},
 * {@code Observation.effective}), evaluated by walking the model's children by name, as FHIRPath
 * navigates them: each step is {@code Base.listChildrenByName(name)} of every item so far, in
 * order, without de-duplication (only unions de-duplicate, and an expression with {@code |} or
 * anything else is not a plain path and stays with the FHIRPath engine). A choice element's
 * name without {@code [x]} yields its value whatever its type, as in FHIRPath.
 * {@code PlainPathTest} holds this to the FHIRPath engine on the sample files and edge cases.
 */
final class PlainPath {

    private static final Pattern PLAIN = Pattern.compile("[A-Z][A-Za-z]*(\\.[a-z][A-Za-z]*)+");

    private final String type;
    private final String[] steps;

    private PlainPath(String type, String[] steps) {
        this.type = type;
        this.steps = steps;
    }

    /** The path, if {@code expression} is one: a resource type then element names. */
    static Optional<PlainPath> of(String expression) {
        if (expression == null || !PLAIN.matcher(expression).matches()) {
            return Optional.empty();
        }
        String[] parts = expression.split("\\.");
        String[] steps = new String[parts.length - 1];
        System.arraycopy(parts, 1, steps, 0, steps.length);
        return Optional.of(new PlainPath(parts[0], steps));
    }

    /** The elements the path yields for the resource; empty for a resource of another type (FHIRPath's type filter). */
    List<IBase> evaluate(IBaseResource resource) {
        if (!(resource instanceof Base root) || !type.equals(resource.fhirType())) {
            return List.of();
        }
        List<Base> current = List.of(root);
        for (String step : steps) {
            List<Base> next = new ArrayList<>();
            for (Base item : current) {
                Base[] children = item.listChildrenByName(step, false);
                if (children == null) {
                    continue;
                }
                for (Base child : children) {
                    if (child != null) {
                        next.add(child);
                    }
                }
            }
            if (next.isEmpty()) {
                return List.of();
            }
            current = next;
        }
        return new ArrayList<>(current);
    }
}
