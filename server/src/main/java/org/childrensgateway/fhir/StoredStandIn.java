package org.childrensgateway.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntryTransactionMethodEnum;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * A stand-in for a stored resource the gate released whole, for a response that will be written
 * from its stored JSON ({@link StoredJsonResponse}): an empty resource of its type carrying only its
 * id, version and last-updated (what HAPI's Bundle factory and the response headers read), the stored
 * JSON, the patients it is about (what the audit record names, read off the JSON with the decision's
 * facts) and the way to the parsed resource. So a resource released whole is not parsed only to be
 * written out as the text it was parsed from.
 *
 * <p>A stand-in must never be encoded: whatever takes the ordinary encoding path (a parameter
 * such as {@code _summary}, XML, pretty printing, a Bundle the splice cannot place) puts the parsed
 * resource in its place first ({@link #full}).
 */
public final class StoredStandIn {

    private static final String FULL = StoredStandIn.class.getName() + ".full";
    private static final String PATIENTS = StoredStandIn.class.getName() + ".patients";

    private StoredStandIn() {
    }

    /**
     * @param patients the patients the audit names for the resource (as {@code PatientReferences} would find them)
     * @param full     the resource as released (parsed on demand)
     */
    public static Resource of(FhirContext context, StoredResource stored, List<String> patients, Supplier<? extends Resource> full) {
        Resource standIn = (Resource) context.getResourceDefinition(stored.type()).newInstance();
        standIn.setId(new IdType(stored.type(), stored.id(), Long.toString(stored.version())));
        standIn.getMeta().setVersionId(Long.toString(stored.version()));
        standIn.getMeta().setLastUpdated(Date.from(stored.lastUpdated()));
        if (stored.method() != null) {
            ResourceMetadataKeyEnum.ENTRY_TRANSACTION_METHOD.put(standIn, BundleEntryTransactionMethodEnum.valueOf(stored.method()));
        }
        standIn.setUserData(FULL, full);
        standIn.setUserData(PATIENTS, List.copyOf(patients));
        StoredJsonResponse.offer(standIn, stored.json());
        return standIn;
    }

    public static boolean is(IBaseResource resource) {
        return resource != null && resource.getUserData(FULL) instanceof Supplier<?>;
    }

    /** The patients the stand-in's resource is about, or null if {@code resource} is no stand-in. */
    @SuppressWarnings("unchecked")
    public static List<String> patients(IBaseResource resource) {
        return is(resource) ? (List<String>) resource.getUserData(PATIENTS) : null;
    }

    /** The parsed resource a stand-in stands for (carrying the stored JSON and search mode it had), or {@code resource} itself. */
    public static IBaseResource full(IBaseResource resource) {
        if (!is(resource)) {
            return resource;
        }
        Resource full = (Resource) ((Supplier<?>) resource.getUserData(FULL)).get();
        var mode = ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.get(resource);
        if (mode != null) {
            ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(full, mode);
        }
        return StoredJsonResponse.offer(full, (String) resource.getUserData(StoredJsonResponse.class.getName()));
    }
}
