package org.childrensgateway.ingest;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.childrensgateway.fhir.BundleProcessor;
import org.childrensgateway.fhir.ConditionalMatch;
import org.childrensgateway.fhir.FhirResourceService;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * SystmOne sends updates with only some elements; an absent element means "unchanged", not
 * "removed". For resources the mapper tags {@code partial}, the stored resource is the base and
 * only the elements present in the update replace its own.
 */
@Component
class PartialUpdateMerger {

    static final String DIRECTIVE_SYSTEM = "https://fhir.childrens-gateway.uk/CodeSystem/ingest-directive";
    static final String PARTIAL = "partial";
    static final String IDENTITY_ONLY = "identity-only";

    /**
     * An update naming a patient only by identity (SystmOne sends those with new events) for a
     * patient the gateway does not hold yet: the reason to quarantine it, or empty.
     */
    java.util.Optional<String> unknownIdentityOnlyPatient(Bundle transaction) {
        for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
            Resource incoming = entry.getResource();
            if (incoming == null || incoming.getMeta().getTag(DIRECTIVE_SYSTEM, IDENTITY_ONLY) == null
                    || !entry.getRequest().hasIfNoneExist()) {
                continue;
            }
            // Under the criteria's lock, and carried to the entry's id assignment and create, which
            // would otherwise search the same criteria twice more.
            ConditionalMatch match = fhir.matchForUpdate(incoming.fhirType(), entry.getRequest().getIfNoneExist());
            BundleProcessor.carryMatch(entry, match);
            if (match.matches().isEmpty()) {
                return java.util.Optional.of("update for a " + incoming.fhirType()
                        + " the gateway does not hold yet: send the full record (with name and date of birth) first, then replay this one");
            }
        }
        return java.util.Optional.empty();
    }

    private final FhirResourceService fhir;
    private final FhirContext context;
    private final ObjectMapper json = new ObjectMapper();

    PartialUpdateMerger(FhirResourceService fhir, FhirContext context) {
        this.fhir = fhir;
        this.context = context;
    }

    /** Replaces each partial PUT entry's resource by the stored resource overlaid with the update's elements. */
    void mergeInto(Bundle transaction) {
        for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
            Resource incoming = entry.getResource();
            if (incoming == null || incoming.getMeta().getTag(DIRECTIVE_SYSTEM, PARTIAL) == null
                    || entry.getRequest().getMethod() != Bundle.HTTPVerb.PUT || !entry.getRequest().getUrl().contains("?")) {
                continue;
            }
            String url = entry.getRequest().getUrl();
            // As above: the update's id assignment and the update reuse this match.
            ConditionalMatch match = fhir.matchForUpdate(incoming.fhirType(), url);
            BundleProcessor.carryMatch(entry, match);
            List<StoredResource> existing = match.matches();
            if (existing.size() == 1) {
                entry.setResource(overlay(existing.get(0), incoming));
            }
        }
    }

    private Resource overlay(StoredResource stored, Resource incoming) {
        try {
            ObjectNode base = (ObjectNode) json.readTree(stored.json());
            ObjectNode update = (ObjectNode) json.readTree(context.newJsonParser().encodeResourceToString(incoming));
            for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = update.fields(); it.hasNext(); ) {
                Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> field = it.next();
                if (!field.getKey().equals("id") && !field.getKey().equals("meta")) {
                    base.set(field.getKey(), field.getValue());
                }
            }
            Resource merged = (Resource) context.newJsonParser().parseResource(json.writeValueAsString(base));
            merged.setId((String) null);
            return merged;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored resource is not valid JSON", e);
        }
    }
}
