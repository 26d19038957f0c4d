package org.childrensgateway.access;

import java.util.List;
import java.util.Optional;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * How a derived record (the person index's child and carer records) is built from its source
 * records. The gate uses it to compose each derived record per request, from the sources that
 * request's caller may see, so a derived record never discloses more than its visible sources do.
 * Implemented by the person index.
 */
public interface DerivedRecordComposer {

    /** References ({@code Patient/1}, {@code RelatedPerson/2}) of the source records a derived record was built from. */
    List<String> sourcesOf(Resource derived);

    /**
     * The derived record as built from {@code released} alone (each already as the caller may see
     * it), or null when those sources cannot make one.
     *
     * @param originals for each released source, its current stored version as the gate read it in
     *                  this request (for what ranks a source, e.g. its feed, which a released copy may no longer name)
     */
    Resource compose(Resource derived, List<Resource> released, List<Resource> originals);

    /**
     * The current row of the child record a source Patient is linked into (read with the link, in
     * one statement), or empty. For the child's facts only: the row is not released by this.
     */
    Optional<StoredResource> childRecordOf(String patientReference);
}
