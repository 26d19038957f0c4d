package org.childrensgateway.audit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.childrensgateway.security.CallerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Opens the audit record of every /fhir, /ingest and /export request and makes sure each one ends up
 * in the audit trail exactly once. FHIR requests are recorded in detail by {@link AuditInterceptor};
 * this records the rest generically: /ingest and /export (action {@code ingest} / {@code export},
 * method, path with feed and file, record counts the endpoint reports) and requests refused before
 * they reached an endpoint (e.g. 401/403 from the security filter). Registered outside the security
 * filter; exports are held back until their audit record is stored, so nothing leaves unaudited.
 */
public class AuditFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AuditFilter.class);

    private final AuditLog audit;

    public AuditFilter(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        PendingAudit pending = AuditTrail.begin();
        try {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            ContentCachingResponseWrapper held = path.startsWith("/export/") ? new ContentCachingResponseWrapper(response) : null;
            HttpServletResponse target = held != null ? held : response;
            pending.caller(CallerContext.current().orElse(null));
            try {
                chain.doFilter(request, target);
            } catch (IOException | ServletException | RuntimeException e) {
                record(pending, request, path, target, 500, e.getClass().getSimpleName());
                throw e;
            }
            boolean stored = record(pending, request, path, target, target.getStatus(), null);
            if (held != null) {
                if (!stored && held.getStatus() < 400) {
                    held.resetBuffer();
                    held.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                    held.setContentType("application/fhir+json");
                    held.getWriter().write("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"transient\","
                            + "\"diagnostics\":\"The export could not be audited, so nothing was released; try again later\"}]}");
                    held.getWriter().flush();
                }
                held.copyBodyToResponse();
            }
        } finally {
            AuditTrail.end();
        }
    }

    /** Stores the record unless the FHIR interceptor already did; false if it could not be stored. */
    private boolean record(PendingAudit pending, HttpServletRequest request, String path, HttpServletResponse response,
                           int status, String failure) {
        if (pending.recorded()) {
            return true;
        }
        pending.markRecorded();
        pending.caller(CallerContext.current().orElse(null));
        String[] segments = path.split("/");
        String area = segments.length > 1 ? segments[1] : "";
        if (!pending.hasAction()) {
            switch (area) {
                case "ingest" -> pending.action("ingest", null);
                case "export" -> pending.action("export", null);
                default -> pending.action("http-" + request.getMethod().toLowerCase(),
                        segments.length > 2 && !segments[2].startsWith("$") && !segments[2].startsWith("_") ? segments[2] : null);
            }
        }
        pending.detail("http-method", request.getMethod()).detail("path", path);
        if (("ingest".equals(area) || "export".equals(area)) && segments.length >= 4 && !"jobs".equals(segments[2])
                && !"quarantine".equals(segments[2]) && !"mappings".equals(segments[2])) {
            pending.detail("feed", segments[2]).detail("file", segments[3]);
        }
        if (request.getQueryString() != null) {
            pending.query(request.getQueryString());
        }
        copyHeader(response, "X-Export-Records", "records", pending);
        copyHeader(response, "X-Export-Withheld", "withheld", pending);
        copyHeader(response, "X-Export-Until", "until", pending);
        copyHeader(response, "X-Export-Held", "held", pending);
        copyHeader(response, "Location", "location", pending);
        copyHeader(response, "X-Request-ID", "request-id", pending);
        try {
            audit.record(pending.toRecord(status, failure, audit.node(), request.getRemoteAddr()));
            return true;
        } catch (RuntimeException e) {
            log.error("Audit record for {} {} could not be stored: {}", request.getMethod(), area, e.getClass().getTypeName());
            return false;
        }
    }

    private static void copyHeader(HttpServletResponse response, String header, String detail, PendingAudit pending) {
        String value = response.getHeader(header);
        if (value != null) {
            pending.detail(detail, value);
        }
    }
}
