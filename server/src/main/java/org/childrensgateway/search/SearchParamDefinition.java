package org.childrensgateway.search;

import java.util.Set;

/**
 * One supported search parameter.
 *
 * @param resourceType  the resource it searches
 * @param name          the URL name, e.g. {@code birthdate}
 * @param type          index kind
 * @param expression    FHIRPath that yields the indexed elements
 * @param targetTypes   for references: the resource types it may point at (empty means any)
 * @param description   shown in the CapabilityStatement
 */
public record SearchParamDefinition(
        String resourceType,
        String name,
        SearchParamType type,
        String expression,
        Set<String> targetTypes,
        String description) {

    public boolean compactsWhitespace() {
        // Postcodes are matched spacing- and case-insensitively: "NP46AB" finds "NP4 6AB".
        return "address-postalcode".equals(name);
    }
}
