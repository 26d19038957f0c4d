package org.childrensgateway.consent;

import java.util.List;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** The child a resource is about, as a {@code Patient/id} reference, or null. */
public final class PatientOf {

    private static final List<String> ELEMENTS = List.of("subject", "patient", "beneficiary", "target");

    private PatientOf() {
    }

    public static String reference(Resource resource) {
        if (resource.fhirType().equals("Patient")) {
            return "Patient/" + resource.getIdElement().getIdPart();
        }
        for (String name : ELEMENTS) {
            var property = resource.getNamedProperty(name);
            if (property == null) {
                continue;
            }
            for (var value : property.getValues()) {
                if (value instanceof Reference ref && ref.getReference() != null && ref.getReference().startsWith("Patient/")) {
                    return ref.getReferenceElement().toUnqualifiedVersionless().getValue();
                }
            }
        }
        return null;
    }
}
