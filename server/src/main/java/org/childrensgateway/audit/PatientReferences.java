package org.childrensgateway.audit;

import org.childrensgateway.fhir.LazyFhirPath;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.childrensgateway.search.SearchParamDefinition;
import org.childrensgateway.search.SearchParamRegistry;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

/**
 * Which patients a resource is about: a Patient itself, otherwise whatever its {@code patient}
 * search parameter points at (subject, patient, target...), so the search registry stays the one
 * place that says how a type relates to its patient. AuditEvents are not followed: reading the audit
 * trail is audited with the query it made, not as access to the children it mentions.
 */
@Component
public class PatientReferences {

    private final SearchParamRegistry registry;
    private final IFhirPath fhirPath;
    private final Map<String, Optional<IFhirPath.IParsedExpression>> expressions = new ConcurrentHashMap<>();

    public PatientReferences(FhirContext context, SearchParamRegistry registry) {
        this.registry = registry;
        this.fhirPath = new LazyFhirPath(context); // not on the start-up path
    }

    public Set<String> of(IBaseResource resource) {
        Set<String> patients = new LinkedHashSet<>();
        collect(resource, patients::add);
        return patients;
    }

    /** Feeds {@code sink} the patients of {@code resource} and, for a Bundle, of every entry. */
    public void collect(IBaseResource resource, Consumer<String> sink) {
        if (resource == null) {
            return;
        }
        if (resource instanceof Bundle bundle) {
            bundle.getEntry().forEach(e -> collect(e.getResource(), sink));
            return;
        }
        List<String> known = org.childrensgateway.fhir.StoredStandIn.patients(resource);
        if (known != null) {
            known.forEach(sink); // read off its stored JSON with the decision's facts, as below would find them
            return;
        }
        String type = resource.fhirType();
        if ("Patient".equals(type)) {
            if (resource.getIdElement().hasIdPart()) {
                sink.accept("Patient/" + resource.getIdElement().getIdPart());
            }
            return;
        }
        if ("AuditEvent".equals(type)) {
            return;
        }
        Optional<IFhirPath.IParsedExpression> expression = expressions.computeIfAbsent(type, this::parse);
        if (expression.isEmpty()) {
            return;
        }
        List<Reference> refs = fhirPath.evaluate(resource, expression.get(), Reference.class);
        for (Reference ref : refs) {
            if (ref.hasReference()) {
                IdType id = new IdType(ref.getReference());
                if ("Patient".equals(id.getResourceType()) && id.hasIdPart() && !id.isAbsolute()) {
                    sink.accept("Patient/" + id.getIdPart());
                }
            }
        }
    }

    private Optional<IFhirPath.IParsedExpression> parse(String type) {
        return registry.find(type, "patient").map(SearchParamDefinition::expression).map(e -> {
            try {
                return fhirPath.parse(e);
            } catch (Exception ex) {
                throw new IllegalStateException("Bad patient expression for " + type, ex);
            }
        });
    }
}
