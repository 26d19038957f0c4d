package org.childrensgateway.fhir;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * Resources the gateway derives from others (the person index's child and carer records), marked
 * with a meta.tag. They carry the source systems' identifiers, so conditional writes, which address
 * a source's own record by those identifiers, must not match them.
 */
public final class DerivedRecords {

    public static final String TAG_SYSTEM = "https://fhir.childrens-gateway.uk/CodeSystem/record-kind";
    public static final String CHILD_RECORD = "child-record";
    public static final String CARER_RECORD = "carer-record";

    private DerivedRecords() {
    }

    /**
     * Clients may not write derived records (or pass a record off as one): only the person index
     * maintains them. Called on every client write path (REST, Bundles); the index writes through
     * FhirResourceService directly.
     */
    public static void refuseFromClient(IBaseResource resource) {
        if (isDerived(resource)) {
            throw new ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException(
                    "Resources tagged " + TAG_SYSTEM + " are maintained by the gateway's person index and cannot be written by clients");
        }
    }

    public static boolean isDerived(IBaseResource resource) {
        return resource instanceof Resource r && r.getMeta().getTag().stream().anyMatch(t -> TAG_SYSTEM.equals(t.getSystem()));
    }
}
