package org.childrensgateway.fhir;

import java.util.Map;
import org.childrensgateway.search.SearchParamRegistry;

/**
 * What the CapabilityStatement needs to say beyond HAPI's own method bindings.
 *
 * @param searchParams    the registry that drives indexing and parsing
 * @param defaultProfiles resource type to the profile its writes are validated against
 */
public record SearchParamCapabilities(SearchParamRegistry searchParams, Map<String, String> defaultProfiles) {
}
