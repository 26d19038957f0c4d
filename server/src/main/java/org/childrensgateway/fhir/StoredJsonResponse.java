package org.childrensgateway.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IRestfulResponse;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.ETagSupportEnum;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.util.DateUtils;
import java.io.IOException;
import java.io.Writer;
import java.util.Date;
import java.util.List;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.childrensgateway.audit.AuditInterceptor;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.springframework.stereotype.Component;

/**
 * A read or vread of a resource the gate released whole, answered with the stored version's JSON
 * instead of encoding the parsed resource again (the encode was a large share of a read's CPU); see
 * {@link StoredJsonWriter} for how the stored text is written out.
 * Nothing is skipped but the encode: the gate decided the resource (its decision marks it
 * {@code asStored} only when it permits the resource unchanged), the audit record is stored first
 * (this hook runs after {@link AuditInterceptor}'s), and the headers are those HAPI sets for a read
 * (Content-Location, ETag, Last-Modified, content type) from the same resource. Any request that
 * has a parameter (_summary, _elements, _pretty, _format) or asks for XML or pretty printing takes
 * the ordinary path.
 */
@Component
@Interceptor
public class StoredJsonResponse implements FhirInterceptor {

    /** Runs after the audit record is stored. */
    public static final int ORDER = AuditInterceptor.ORDER + 1000;

    private static final String USER_DATA = StoredJsonResponse.class.getName();

    /** Marks a released resource with its stored JSON (if it was released exactly as stored). */
    static IBaseResource offer(IBaseResource resource, String storedJson) {
        if (resource != null && storedJson != null) {
            resource.setUserData(USER_DATA, storedJson);
        }
        return resource;
    }

    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = ORDER)
    public boolean respond(RequestDetails request, ResponseDetails response) {
        IBaseResource resource = response.getResponseResource();
        if (resource instanceof Bundle bundle && request.getRestOperationType() == RestOperationTypeEnum.TRANSACTION) {
            return respondWithBundle(request, response, bundle);
        }
        if (resource == null || !(resource.getUserData(USER_DATA) instanceof String json) || !plainJsonRead(request)) {
            return true;
        }
        IRestfulResponse out = request.getResponse();
        IIdType fullId = resource.getIdElement() == null ? null
                : RestfulServerUtils.fullyQualifyResourceIdOrReturnNull(request.getServer(), resource, request.getFhirServerBase(),
                        resource.getIdElement());
        if (fullId != null) {
            out.addHeader(Constants.HEADER_CONTENT_LOCATION, fullId.getValue());
        }
        if (request.getServer().getETagSupport() == ETagSupportEnum.ENABLED) {
            String version = fullId != null && fullId.hasVersionIdPart() ? fullId.getVersionIdPart()
                    : resource.getMeta() == null ? null : resource.getMeta().getVersionId();
            if (version != null && !version.isBlank()) {
                out.addHeader(Constants.HEADER_ETAG, RestfulServerUtils.createEtag(version));
            }
        }
        IPrimitiveType<Date> lastUpdated = RestfulServerUtils.extractLastUpdatedFromResource(resource);
        if (lastUpdated != null && !lastUpdated.isEmpty()) {
            out.addHeader(Constants.HEADER_LAST_MODIFIED, DateUtils.formatDate(lastUpdated.getValue()));
        }
        RestfulServerUtils.ResponseEncoding encoding = encoding(request);
        try {
            Writer writer = out.getResponseWriter(response.getResponseCode(), encoding.getResourceContentType(), Constants.CHARSET_NAME_UTF8,
                    request.isRespondGzip());
            StoredJsonWriter.write(json, resource.fhirType(), writer);
            out.commitResponse(writer);
        } catch (IOException e) {
            throw new InternalErrorException("The response could not be written", e);
        }
        return false;
    }

    /**
     * A transaction or batch response whose every resource is one just written or matched (each
     * marked with its stored JSON by {@link BundleProcessor}): HAPI encodes the Bundle without the
     * entries' resources, which is cheap, and each resource is written into its entry from the JSON
     * it was stored as, where HAPI would have put it (after {@code fullUrl}). The resources were
     * encoded once already, to be validated and stored; encoding them again was most of the cost of
     * the response. Anything else in the Bundle (a searchset of a GET entry, an OperationOutcome)
     * takes the ordinary path.
     */
    private static boolean respondWithBundle(RequestDetails request, ResponseDetails response, Bundle bundle) {
        if (!plainJson(request) || request.getHeader(Constants.HEADER_PREFER) != null) {
            return true; // a Prefer header may ask for another answer: HAPI's path decides it
        }
        List<Bundle.BundleEntryComponent> entries = bundle.getEntry();
        String[] stored = new String[entries.size()];
        for (int i = 0; i < stored.length; i++) {
            Resource r = entries.get(i).getResource();
            if (r != null) {
                if (!(r.getUserData(USER_DATA) instanceof String json)) {
                    return true;
                }
                stored[i] = json;
            }
        }
        String skeleton;
        Resource[] resources = new Resource[stored.length];
        try {
            for (int i = 0; i < stored.length; i++) {
                resources[i] = entries.get(i).getResource();
                entries.get(i).setResource(null);
            }
            IParser parser = RestfulServerUtils.getNewParser(request.getServer().getFhirContext(),
                    request.getServer().getFhirContext().getVersion().getVersion(), request);
            skeleton = parser.encodeResourceToString(bundle);
        } finally {
            for (int i = 0; i < stored.length; i++) {
                entries.get(i).setResource(resources[i]);
            }
        }
        java.io.StringWriter body = new java.io.StringWriter(skeleton.length() + 1024 * stored.length);
        try {
            StoredJsonWriter.writeBundle(skeleton, stored, resources, body);
        } catch (IOException e) {
            return true; // not the shape expected: HAPI encodes the Bundle as usual
        }
        IRestfulResponse out = request.getResponse();
        try {
            Writer writer = out.getResponseWriter(response.getResponseCode(), encoding(request).getResourceContentType(),
                    Constants.CHARSET_NAME_UTF8, request.isRespondGzip());
            writer.write(body.toString());
            out.commitResponse(writer);
        } catch (IOException e) {
            throw new InternalErrorException("The response could not be written", e);
        }
        return false;
    }

    /** A read or vread whose body is the resource as it is, in compact JSON, with no hook that wants the writer. */
    private static boolean plainJsonRead(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation != RestOperationTypeEnum.READ && operation != RestOperationTypeEnum.VREAD) {
            return false;
        }
        return plainJson(request);
    }

    /** Compact JSON as HAPI writes it by default, with no parameter that changes the body and no hook that wants the writer. */
    private static boolean plainJson(RequestDetails request) {
        if (!request.getParameters().isEmpty()) {
            return false; // _summary, _elements, _pretty, _format: the ordinary path
        }
        if (RestfulServerUtils.prettyPrintResponse(request.getServer(), request)
                || request.getServer().getInterceptorService().hasHooks(Pointcut.SERVER_OUTGOING_WRITER_CREATED)) {
            return false;
        }
        return encoding(request).getEncoding() == EncodingEnum.JSON;
    }

    private static RestfulServerUtils.ResponseEncoding encoding(RequestDetails request) {
        RestfulServerUtils.ResponseEncoding encoding = RestfulServerUtils.determineResponseEncodingNoDefault(request,
                request.getServer().getDefaultResponseEncoding());
        return encoding != null ? encoding
                : new RestfulServerUtils.ResponseEncoding(request.getServer().getFhirContext(), request.getServer().getDefaultResponseEncoding(), null);
    }
}
