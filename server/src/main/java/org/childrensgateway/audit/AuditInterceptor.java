package org.childrensgateway.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.childrensgateway.fhir.FhirInterceptor;
import org.childrensgateway.security.CallerContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Audits every FHIR request: one AuditEvent per request, written when the response is determined
 * and before it is sent (success: {@code SERVER_OUTGOING_RESPONSE}, late so that other interceptors
 * such as consent have had their say; failure and denial: {@code SERVER_HANDLE_EXCEPTION}), in its
 * own short transaction. If the record cannot be stored, reads and searches fail rather than disclose
 * unaudited; writes, already committed, are answered and the failure is logged.
 */
@Component
@Interceptor
public class AuditInterceptor implements FhirInterceptor {

    /** Runs after interceptors with the default order (0), e.g. consent filtering outgoing resources. */
    public static final int ORDER = 1000;

    private static final Logger log = LoggerFactory.getLogger(AuditInterceptor.class);
    private static final Set<String> PATIENT_PARAMS = Set.of("patient", "subject");

    private final AuditLog audit;
    private final PatientReferences patients;

    public AuditInterceptor(AuditLog audit, PatientReferences patients) {
        this.audit = audit;
        this.patients = patients;
    }

    /**
     * The audit trail is append-only for clients: PUT, PATCH, DELETE and POST (other than
     * {@code _search}) on AuditEvent are 405 Method Not Allowed, and the attempt is itself audited.
     */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLER_SELECTED)
    public void refuseAuditWrites(RequestDetails request) {
        if (!"AuditEvent".equals(request.getResourceName()) || request.getRequestType() == null) {
            return;
        }
        boolean write = switch (request.getRequestType()) {
            case PUT, PATCH, DELETE -> true;
            case POST -> !"_search".equals(request.getOperation());
            default -> false;
        };
        if (write) {
            AuditTrail.of(request).action(writeAction(request), "AuditEvent");
            MethodNotAllowedException refused = new MethodNotAllowedException(
                    "AuditEvent is written only by the gateway; clients may read and search it", RequestTypeEnum.GET);
            throw refused;
        }
    }

    private static String writeAction(RequestDetails request) {
        return switch (request.getRequestType()) {
            case PUT -> "update";
            case PATCH -> "patch";
            case DELETE -> "delete";
            default -> "create";
        };
    }

    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = ORDER)
    public boolean outgoing(RequestDetails request, IBaseResource resource, ResponseDetails response) {
        PendingAudit pending = AuditTrail.of(request);
        if (pending.recorded()) {
            return true;
        }
        describe(request, pending);
        if (resource != null) {
            resources(resource, pending);
            returned(resource, pending);
        }
        int status = response == null || response.getResponseCode() == 0 ? 200 : response.getResponseCode();
        try {
            write(request, pending, status, null);
        } catch (RuntimeException e) {
            if (discloses(request.getRestOperationType())) {
                throw new InternalErrorException("The access could not be audited, so nothing was returned; try again later");
            }
        }
        return true;
    }

    @Hook(value = Pointcut.SERVER_HANDLE_EXCEPTION, order = ORDER)
    public boolean failed(RequestDetails request, BaseServerResponseException exception) {
        PendingAudit pending = AuditTrail.of(request);
        if (pending.recorded()) {
            return true;
        }
        describe(request, pending);
        try {
            write(request, pending, exception.getStatusCode(), exception.getClass().getSimpleName() + ": " + exception.getMessage());
        } catch (RuntimeException e) {
            // Already logged; the client gets the original error.
        }
        return true;
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED)
    public void completed(RequestDetails request) {
        try {
            PendingAudit pending = AuditTrail.of(request);
            if (!pending.recorded()) {
                describe(request, pending);
                int status = request instanceof ServletRequestDetails s && s.getServletResponse() != null
                        ? s.getServletResponse().getStatus() : 200;
                write(request, pending, status, null);
            }
        } catch (RuntimeException e) {
            // Already logged.
        } finally {
            AuditTrail.release(request);
        }
    }

    private void write(RequestDetails request, PendingAudit pending, int status, String failure) {
        pending.markRecorded();
        if (!pending.hasAction()) {
            return;
        }
        pending.caller(CallerContext.current().orElse(null));
        String address = request instanceof ServletRequestDetails s && s.getServletRequest() != null
                ? s.getServletRequest().getRemoteAddr() : null;
        try {
            audit.record(pending.toRecord(status, failure, audit.node(), address));
        } catch (RuntimeException e) {
            // Never the record itself: it holds personal data.
            log.error("Audit record for a FHIR {} could not be stored: {}", request.getRestOperationType(), e.getClass().getTypeName());
            throw e;
        }
    }

    /** What the request was: interaction, type, the addressed resource, the query and the patients it names. */
    private static void describe(RequestDetails request, PendingAudit pending) {
        if (!pending.describeOnce()) {
            return;
        }
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation == RestOperationTypeEnum.METADATA) {
            // The CapabilityStatement discloses nothing about anyone: not audited.
            pending.markRecorded();
            return;
        }
        if (!pending.hasAction()) {
            pending.action(action(request, operation), request.getResourceName());
        }
        if (request.getRequestId() != null) {
            pending.detail("request-id", request.getRequestId());
        }
        String type = request.getResourceName();
        if (request.getId() != null && request.getId().hasIdPart() && type != null) {
            String ref = type + "/" + request.getId().getIdPart();
            pending.resource(ref);
            if ("Patient".equals(type)) {
                pending.patient(ref);
            }
        }
        Map<String, String[]> parameters = request.getParameters();
        if (parameters != null && !parameters.isEmpty()) {
            pending.query(query(parameters));
            parameters.forEach((name, values) -> queryPatients(type, name, values, pending));
        }
    }

    static String action(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation == null) {
            return "http-" + String.valueOf(request.getRequestType()).toLowerCase();
        }
        return switch (operation) {
            case EXTENDED_OPERATION_SERVER, EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE ->
                    request.getOperation() != null ? request.getOperation() : "operation";
            case GET_PAGE -> "search-type";
            case METADATA -> "capabilities";
            default -> operation.getCode();
        };
    }

    /** Reads, searches and operations disclose data: without their audit record they must not answer. */
    private static boolean discloses(RestOperationTypeEnum operation) {
        if (operation == null) {
            return true;
        }
        return switch (operation) {
            case CREATE, UPDATE, PATCH, DELETE, TRANSACTION, BATCH -> false;
            default -> true;
        };
    }

    private static void queryPatients(String type, String name, String[] values, PendingAudit pending) {
        String base = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        if (base.contains(".") || values == null) {
            return; // chained: names the patient indirectly; the query is recorded
        }
        boolean patientParam = PATIENT_PARAMS.contains(base) || ("Patient".equals(type) && "_id".equals(base));
        if (!patientParam) {
            return;
        }
        boolean bareIsPatient = "patient".equals(base) || "_id".equals(base) || name.endsWith(":Patient");
        for (String value : values) {
            for (String v : value.split(",")) {
                String s = v.trim();
                if (s.startsWith("Patient/")) {
                    pending.patient(s);
                } else if (!s.isEmpty() && !s.contains("/") && bareIsPatient) {
                    pending.patient("Patient/" + s);
                }
            }
        }
    }

    private static void resources(IBaseResource resource, PendingAudit pending) {
        if (resource instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.hasResource() && entry.getResource().getIdElement().hasIdPart()) {
                    pending.resource(entry.getResource().fhirType() + "/" + entry.getResource().getIdElement().getIdPart());
                }
            }
            return;
        }
        String type = resource.fhirType();
        if (!"OperationOutcome".equals(type) && !"Parameters".equals(type) && resource.getIdElement().hasIdPart()) {
            pending.resource(type + "/" + resource.getIdElement().getIdPart());
        }
    }

    /**
     * The patients of each returned resource (one pass): named in the record, and kept with the
     * resource, which is what an unlink's disclosure report lists.
     */
    private void returned(IBaseResource resource, PendingAudit pending) {
        if (resource instanceof Bundle bundle) {
            bundle.getEntry().stream().filter(Bundle.BundleEntryComponent::hasResource).forEach(e -> returned(e.getResource(), pending));
            return;
        }
        Set<String> about = patients.of(resource);
        about.forEach(pending::patient);
        if (!resource.getIdElement().hasIdPart() || "OperationOutcome".equals(resource.fhirType()) || "Parameters".equals(resource.fhirType())) {
            return;
        }
        String ref = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        if (about.isEmpty()) {
            pending.returned(null, ref);
        }
        about.forEach(p -> pending.returned(p, ref));
    }

    private static String query(Map<String, String[]> parameters) {
        StringJoiner query = new StringJoiner("&");
        parameters.forEach((name, values) -> {
            for (String value : values == null ? new String[0] : values) {
                query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }
}
