package org.childrensgateway.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Since;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IResourceProvider;

import java.util.Date;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;

/**
 * Read, history and search for one resource type, in the style of HAPI's plain-server providers.
 * It only translates HTTP into {@link FhirResourceService} calls; the rules live there. Types the
 * server writes itself (AuditEvent) get only this.
 */
public class ReadOnlyResourceProvider<T extends IBaseResource> implements IResourceProvider {

    private static final int MAX_HISTORY = 10_000;

    private final Class<T> type;
    protected final String typeName;
    protected final FhirResourceService service;

    public ReadOnlyResourceProvider(Class<T> type, String typeName, FhirResourceService service) {
        this.type = type;
        this.typeName = typeName;
        this.service = service;
    }

    @Override
    public Class<T> getResourceType() {
        return type;
    }

    @Read(version = true)
    public IBaseResource read(@IdParam IdType id) {
        return service.readForResponse(typeName, id);
    }

    @History
    public IBundleProvider instanceHistory(@IdParam IdType id, @Since Date since, @Count Integer count) {
        return service.history(typeName, id.getIdPart(), since == null ? null : since.toInstant(), MAX_HISTORY);
    }

    @History
    public IBundleProvider typeHistory(@Since Date since, @Count Integer count) {
        return service.history(typeName, null, since == null ? null : since.toInstant(), MAX_HISTORY);
    }

    /** Every search goes through one method so that the gateway, not HAPI, decides which parameters are valid. */
    @Search(allowUnknownParams = true)
    public IBundleProvider search(RequestDetails request) {
        return service.searchPages(typeName, request.getParameters(), lenient(request)).forResponse();
    }

    static boolean lenient(RequestDetails request) {
        String prefer = request.getHeader(Constants.HEADER_PREFER);
        return prefer != null && prefer.replace(" ", "").contains("handling=lenient");
    }


}
