package org.childrensgateway.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntryTransactionMethodEnum;
import ca.uhn.fhir.parser.IParser;
import java.util.Date;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/** Turns stored JSON back into HAPI resources and resources into the JSON that is stored. */
@Component
public class ResourceCodec {

    private final FhirContext context;

    public ResourceCodec(FhirContext context) {
        this.context = context;
    }

    public String encode(IBaseResource resource) {
        return parser().encodeResourceToString(resource);
    }

    public IBaseResource decode(StoredResource stored) {
        IBaseResource resource;
        if (stored.deleted()) {
            // A deletion in history: an empty resource carrying the id and the DELETE marker.
            resource = context.getResourceDefinition(stored.type()).newInstance();
            ResourceMetadataKeyEnum.DELETED_AT.put(resource, new InstantType(Date.from(stored.lastUpdated())));
            ResourceMetadataKeyEnum.ENTRY_TRANSACTION_METHOD.put(resource, BundleEntryTransactionMethodEnum.DELETE);
        } else {
            resource = parser().parseResource(stored.json());
            if (stored.method() != null) {
                ResourceMetadataKeyEnum.ENTRY_TRANSACTION_METHOD.put(resource,
                        BundleEntryTransactionMethodEnum.valueOf(stored.method()));
            }
        }
        resource.setId(new IdType(stored.type(), stored.id(), Long.toString(stored.version())));
        if (resource instanceof Resource r) {
            r.getMeta().setVersionId(Long.toString(stored.version()));
            r.getMeta().setLastUpdated(Date.from(stored.lastUpdated()));
        }
        return resource;
    }

    public FhirContext context() {
        return context;
    }

    private IParser parser() {
        return context.newJsonParser().setPrettyPrint(false);
    }
}
