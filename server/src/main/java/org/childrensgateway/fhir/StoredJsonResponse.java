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
import java.io.StringWriter;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.childrensgateway.audit.AuditInterceptor;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
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
    public static IBaseResource offer(IBaseResource resource, String storedJson) {
        if (resource != null && storedJson != null) {
            resource.setUserData(USER_DATA, storedJson);
        }
        return resource;
    }

    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = ORDER)
    public boolean respond(RequestDetails request, ResponseDetails response) {
        IBaseResource resource = response.getResponseResource();
        if (resource instanceof Bundle bundle) {
            return respondBundle(request, response, bundle);
        }
        if (resource == null || !(resource.getUserData(USER_DATA) instanceof String json) || !plainJsonRead(request)) {
            if (StoredStandIn.is(resource)) {
                response.setResponseResource(StoredStandIn.full(resource)); // HAPI encodes it: the parsed resource, never the stand-in
            }
            return true;
        }
        IRestfulResponse out = request.getResponse();
        headers(request, resource, out, true);
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
     * A Bundle whose entries hold resources carrying their stored JSON: in a searchset (a search, a
     * page of one, {@code $everything}) those the gate released whole, in a transaction response
     * those just written or matched (marked by {@link BundleProcessor}; they were encoded once
     * already, to be validated and stored). A searchset of only the members HAPI's Bundle factory
     * sets is written by {@link SearchsetJsonWriter} (HAPI encodes only the entries not marked, one by
     * one); any other searchset, and a transaction response, is encoded by HAPI without the marked
     * resources (the same parser settings), which are then spliced in from their stored JSON. Anything that would
     * change how entries are encoded (_summary, _elements, pretty printing, XML, a writer hook; for
     * a transaction, a Prefer header, which may ask for another answer) takes the ordinary path, as
     * does a Bundle the splice cannot place every stored resource into.
     */
    private static boolean respondBundle(RequestDetails request, ResponseDetails response, Bundle bundle) {
        boolean searchset = bundle.getType() == Bundle.BundleType.SEARCHSET;
        boolean transaction = bundle.getType() == Bundle.BundleType.TRANSACTIONRESPONSE
                && request.getRestOperationType() == RestOperationTypeEnum.TRANSACTION
                && request.getHeader(Constants.HEADER_PREFER) == null;
        if (!(searchset || transaction) || !plainJsonBundle(request)) {
            return ordinary(bundle);
        }
        if (searchset && SearchsetJsonWriter.writable(bundle) && bundle.getEntry().stream().noneMatch(e -> StoredStandIn.is(e.getResource())
                && storedJson(e.getResource()) == null)) {
            return respondSearchset(request, response, bundle);
        }
        Map<String, StoredJsonBundleWriter.StoredEntry> stored = new HashMap<>();
        Map<Bundle.BundleEntryComponent, Resource> taken = new java.util.IdentityHashMap<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource r = entry.getResource();
            if (r != null && r.getUserData(USER_DATA) instanceof String json && entry.hasFullUrl()
                    && !stored.containsKey(entry.getFullUrl())) {
                stored.put(entry.getFullUrl(), new StoredJsonBundleWriter.StoredEntry(json, r.fhirType()));
                taken.put(entry, r);
            }
        }
        if (stored.isEmpty()) {
            return ordinary(bundle);
        }
        StringWriter body = new StringWriter(4096);
        boolean spliced = false;
        try {
            taken.keySet().forEach(e -> e.setResource(null));
            // Entries the splice does not place (a second entry of the same resource) are encoded: parsed first.
            bundle.getEntry().stream().filter(e -> StoredStandIn.is(e.getResource())).forEach(e -> e.setResource((Resource) StoredStandIn.full(e.getResource())));
            String envelope = RestfulServerUtils.getNewParser(request.getServer().getFhirContext(), request.getServer().getFhirContext().getVersion().getVersion(), request)
                    .encodeResourceToString(bundle);
            StoredJsonBundleWriter.write(envelope, stored, body);
            spliced = true;
        } catch (IOException | RuntimeException e) {
            // the ordinary encoding (resources put back below)
        } finally {
            taken.forEach(Bundle.BundleEntryComponent::setResource);
        }
        if (!spliced) {
            return ordinary(bundle);
        }
        if (searchset) {
            writeSearchset(request, response, bundle, body);
        } else {
            writeBody(request, response, body);
        }
        return false;
    }

    /** A searchset's headers as HAPI sets them, then its body. */
    private static void writeSearchset(RequestDetails request, ResponseDetails response, Bundle bundle, StringWriter body) {
        // As HAPI: a search's Bundle has no Content-Location; an operation's ($everything) and a page's have one.
        RestOperationTypeEnum operation = request.getRestOperationType();
        headers(request, bundle, request.getResponse(), operation != RestOperationTypeEnum.SEARCH_TYPE && operation != RestOperationTypeEnum.SEARCH_SYSTEM);
        writeBody(request, response, body);
    }

    private static void writeBody(RequestDetails request, ResponseDetails response, StringWriter body) {
        IRestfulResponse out = request.getResponse();
        try {
            Writer writer = out.getResponseWriter(response.getResponseCode(), encoding(request).getResourceContentType(), Constants.CHARSET_NAME_UTF8,
                    request.isRespondGzip());
            writer.write(body.toString());
            out.commitResponse(writer);
        } catch (IOException e) {
            throw new InternalErrorException("The response could not be written", e);
        }
    }

    /**
     * A searchset written without HAPI encoding the Bundle ({@link SearchsetJsonWriter}): the envelope
     * from the model, entries released whole from their stored JSON, the others encoded by HAPI one by
     * one with the request's parser. If the writer fails, HAPI encodes the whole Bundle, as before.
     */
    private static boolean respondSearchset(RequestDetails request, ResponseDetails response, Bundle bundle) {
        StringWriter body = new StringWriter(4096);
        try {
            SearchsetJsonWriter.write(bundle, StoredJsonResponse::storedJson, RestfulServerUtils.getNewParser(request.getServer().getFhirContext(),
                    request.getServer().getFhirContext().getVersion().getVersion(), request), body);
        } catch (IOException | RuntimeException e) {
            return ordinary(bundle);
        }
        writeSearchset(request, response, bundle, body);
        return false;
    }

    /** The stored JSON the gate marked a resource with ({@link #offer}), or null. */
    private static String storedJson(IBaseResource resource) {
        return resource != null && resource.getUserData(USER_DATA) instanceof String json ? json : null;
    }

    /** HAPI encodes the Bundle: each stand-in's entry gets its parsed resource first. */
    private static boolean ordinary(Bundle bundle) {
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (StoredStandIn.is(entry.getResource())) {
                entry.setResource((Resource) StoredStandIn.full(entry.getResource()));
            }
        }
        return true;
    }

    /** The headers HAPI sets for a resource it answers with (Content-Location where HAPI adds one, ETag, Last-Modified). */
    private static void headers(RequestDetails request, IBaseResource resource, IRestfulResponse out, boolean contentLocation) {
        IIdType fullId = resource.getIdElement() == null ? null
                : RestfulServerUtils.fullyQualifyResourceIdOrReturnNull(request.getServer(), resource, request.getFhirServerBase(),
                        resource.getIdElement());
        if (fullId != null && contentLocation) {
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
    }

    /** Parameters that change how a Bundle's entries are encoded; with any of them the ordinary path answers. */
    private static final java.util.Set<String> ENCODING_PARAMETERS = java.util.Set.of(
            "_summary", "_elements", "_elements:exclude", "_pretty", "_format", "_narrative", "_contained", "_containedType");

    private static boolean plainJsonBundle(RequestDetails request) {
        if (request.getParameters().keySet().stream().anyMatch(p -> ENCODING_PARAMETERS.contains(p) || p.startsWith("_elements"))) {
            return false;
        }
        if (RestfulServerUtils.prettyPrintResponse(request.getServer(), request)
                || request.getServer().getInterceptorService().hasHooks(Pointcut.SERVER_OUTGOING_WRITER_CREATED)) {
            return false;
        }
        return encoding(request).getEncoding() == EncodingEnum.JSON;
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
