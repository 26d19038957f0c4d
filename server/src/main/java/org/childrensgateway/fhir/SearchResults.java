package org.childrensgateway.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;

/** A search's results as HAPI pages them: by a list of keys ({@link StoredBundleProvider}) or by keyset ({@link KeysetBundleProvider}). */
public interface SearchResults extends IBundleProvider {

    /**
     * The same results for an HTTP response (which {@link StoredJsonResponse} writes, putting parsed
     * resources in place of stand-ins wherever HAPI encodes): not for code that reads the resources.
     */
    SearchResults forResponse();
}
