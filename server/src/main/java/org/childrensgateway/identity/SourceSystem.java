package org.childrensgateway.identity;

import org.childrensgateway.mappers.build.Fhir;

/**
 * The feed and organisation named by a gateway identifier system
 * {@code https://fhir.childrens-gateway.uk/Id/<feed>/<org>/<kind>}.
 */
public record SourceSystem(String feed, String organisation, String kind) {

    /** The identifier system of child records themselves. */
    public static final String CHILD_RECORD_SYSTEM = Fhir.ID_BASE + "child-record";
    public static final String CARER_RECORD_SYSTEM = Fhir.ID_BASE + "carer-record";

    static SourceSystem of(String system) {
        if (system == null || !system.startsWith(Fhir.ID_BASE)) {
            return null;
        }
        String[] parts = system.substring(Fhir.ID_BASE.length()).split("/");
        if (parts.length != 3) {
            return null;
        }
        return new SourceSystem(parts[0], parts[1], parts[2]);
    }
}
