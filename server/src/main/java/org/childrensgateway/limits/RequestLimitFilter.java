package org.childrensgateway.limits;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.childrensgateway.audit.AuditTrail;
import org.childrensgateway.security.CallerContext;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Enforces {@link RequestLimits} before anything parses the request: the query string at once,
 * a declared {@code Content-Length} at once, and the body while it streams in (counted, and
 * inflated here, bounded, when compressed). Sits inside the audit filter, so refusals are audited.
 */
public class RequestLimitFilter extends OncePerRequestFilter {

    private final RequestLimits limits;
    private final HeavyRequestPermits heavy;

    public RequestLimitFilter(RequestLimits limits) {
        this.limits = limits;
        this.heavy = new HeavyRequestPermits(limits.maxConcurrentHeavy(), limits.heavyQueueWait());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String queryProblem = QueryCheck.problem(request.getQueryString(), limits);
        if (queryProblem != null) {
            refuse(response, 400, OperationOutcome.IssueType.INVALID, queryProblem);
            return;
        }
        long max = limits.maxBodyBytesFor(path);
        if (request.getContentLengthLong() > max) {
            refuse(response, 413, OperationOutcome.IssueType.TOOCOSTLY,
                    "The request body is larger than the limit of " + max + " bytes");
            return;
        }
        String encoding = contentEncoding(request);
        if (encoding != null && !DecompressingInputStream.SUPPORTED.contains(encoding)) {
            refuse(response, 415, OperationOutcome.IssueType.NOTSUPPORTED, "Content-Encoding must be gzip, deflate or identity");
            return;
        }
        boolean heavyRequest = HeavyRequestPermits.isHeavy(request.getMethod(), path);
        if (heavyRequest && !heavy.enter()) {
            response.setHeader("Retry-After", Long.toString(heavy.retryAfterSeconds()));
            refuse(response, 503, OperationOutcome.IssueType.TRANSIENT, "The gateway is working on as many Bundles and extracts as it"
                    + " safely can (" + limits.maxConcurrentHeavy() + "); nothing was done: send it again after Retry-After seconds");
            return;
        }
        try {
            chain.doFilter(new LimitedRequest(request, raw -> encoding == null ? new LimitedInputStream(raw, max, "The request body")
                    : new DecompressingInputStream(encoding, raw, max, limits.maxCompressionRatio()), encoding != null), response);
        } finally {
            if (heavyRequest) {
                heavy.leave();
            }
        }
    }

    private static String contentEncoding(HttpServletRequest request) {
        String header = request.getHeader("Content-Encoding");
        if (header == null || header.isBlank() || "identity".equalsIgnoreCase(header.trim())) {
            return null;
        }
        return header.trim().toLowerCase(Locale.ROOT);
    }

    public static void refuse(HttpServletResponse response, int status, OperationOutcome.IssueType type, String message) throws IOException {
        AuditTrail.current().ifPresent(audit -> audit.caller(CallerContext.current().orElse(null)));
        org.childrensgateway.security.OperationOutcomeResponses.write(response, status, type, message);
    }
}
