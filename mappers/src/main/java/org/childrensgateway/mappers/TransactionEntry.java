package org.childrensgateway.mappers;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * One resource ready to go into a FHIR transaction Bundle.
 *
 * @param fullUrl     {@code urn:uuid:...}; other resources of the same record refer to it by this
 * @param resource    the mapped resource (no server id)
 * @param method      PUT for conditional update, POST for create / conditional create
 * @param url         e.g. {@code Patient?identifier=sys|val} for PUT, or {@code Patient} for POST
 * @param ifNoneExist for POST: the search that makes the create a no-op when a match exists, else null
 */
public record TransactionEntry(String fullUrl, Resource resource, Bundle.HTTPVerb method, String url, String ifNoneExist) {

    /**
     * Adds this entry to a transaction bundle, with a copy of the resource: storing a bundle assigns
     * ids and rewrites references in place, and a record may be stored more than once (written
     * again alone after its batch rolled back, replayed, dry-run), each time from the mapped form.
     */
    public Bundle.BundleEntryComponent addTo(Bundle bundle) {
        Bundle.BundleEntryComponent e = bundle.addEntry().setFullUrl(fullUrl).setResource(resource.copy());
        e.getRequest().setMethod(method).setUrl(url);
        if (ifNoneExist != null) {
            e.getRequest().setIfNoneExist(ifNoneExist);
        }
        return e;
    }
}
