package org.childrensgateway.access;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;
import org.childrensgateway.consent.Decision;
import org.hl7.fhir.r4.model.Resource;

/**
 * Which top-level elements a decision releases, and the copy of a resource that holds only those.
 * The same rule decides what a response shows and what a search may match or sort on, so an
 * element an agreement removes can never be confirmed by searching for it.
 */
public final class ElementRelease {

    public static final String REDACTED_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    private static final Set<String> STRUCTURAL = Set.of("resourceType", "id", "meta");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ElementRelease() {
    }

    /** Does the decision release top-level element {@code element} ({@code id} and {@code meta} always go with a released resource)? */
    public static boolean releases(Decision decision, String element) {
        if (!decision.disclosed()) {
            return false;
        }
        if (decision.effect() == Decision.Effect.PERMIT || STRUCTURAL.contains(element)) {
            return true;
        }
        boolean listed = decision.elements().contains(element);
        return decision.removeListed() != listed;
    }

    /** A copy holding only what the decision releases, labelled as redacted. */
    public static Resource reduce(FhirContext context, Resource resource, Decision decision) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(context.newJsonParser().encodeResourceToString(resource));
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                if (!releases(decision, it.next())) {
                    it.remove();
                }
            }
            Resource reduced = (Resource) context.newJsonParser().parseResource(JSON.writeValueAsString(node));
            reduced.setId(resource.getIdElement());
            reduced.getMeta().addSecurity(REDACTED_SYSTEM, "REDACTED", "redacted");
            return reduced;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
