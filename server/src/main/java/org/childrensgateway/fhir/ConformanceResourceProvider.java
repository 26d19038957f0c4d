package org.childrensgateway.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MetadataResource;

/**
 * The conformance resources the gateway validates against and tells clients about (its profiles,
 * code systems, value sets, concept maps and search parameters, and the UK Core ones they build on),
 * read-only at {@code /fhir}, so a validator or client can fetch what the CapabilityStatement names.
 * They describe no one: they come from the profiles package, not the store, so the access gate has
 * nothing to decide.
 */
public final class ConformanceResourceProvider<T extends MetadataResource> implements IResourceProvider {

    private final Class<T> type;
    private final Map<String, T> byId;

    public ConformanceResourceProvider(Class<T> type, List<IBaseResource> all) {
        this.type = type;
        this.byId = all.stream().filter(type::isInstance).map(type::cast).filter(r -> r.getIdElement().hasIdPart())
                .collect(Collectors.toMap(r -> r.getIdElement().getIdPart(), Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
    }

    @Override
    public Class<T> getResourceType() {
        return type;
    }

    @Read
    public T read(@IdParam IdType id) {
        T found = byId.get(id.getIdPart());
        if (found == null) {
            throw new ResourceNotFoundException(id);
        }
        return found;
    }

    /** By canonical {@code url} (what profiles and bindings name) and, optionally, by {@code name}. */
    @Search
    public List<T> search(@OptionalParam(name = "url") UriParam url, @OptionalParam(name = "name") StringParam name) {
        return byId.values().stream()
                .filter(r -> url == null || url.getValue().equals(r.getUrl()))
                .filter(r -> name == null || (r.getName() != null && r.getName().toLowerCase().startsWith(name.getValue().toLowerCase())))
                .toList();
    }
}
