package org.childrensgateway.fhir;

import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * What a write did.
 *
 * @param kind     created, updated, unchanged (identical content, no new version) or deleted
 * @param stored   the version now current
 * @param resource the resource as stored (null for deletions)
 */
public record WriteOutcome(Kind kind, StoredResource stored, IBaseResource resource) {

    public enum Kind { CREATED, UPDATED, UNCHANGED, DELETED }

    public boolean created() {
        return kind == Kind.CREATED;
    }
}
