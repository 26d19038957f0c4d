package org.childrensgateway.input;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.childrensgateway.limits.RequestLimitFilter;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks a FHIR request body with {@link FhirBodyCheck} before HAPI parses it and answers 400
 * when the parser would change or drop something. The body is already bounded by the request
 * limits (this filter runs inside that one), and HAPI reads it whole anyway, so it is held here
 * once and handed on.
 */
public class FhirInputFilter extends OncePerRequestFilter {

    private final int maxBundleEntries;

    public FhirInputFilter(int maxBundleEntries) {
        this.maxBundleEntries = maxBundleEntries;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return !("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method)) || kind(request) == null;
    }

    private static String kind(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null) {
            return null;
        }
        type = type.toLowerCase(Locale.ROOT);
        if (type.contains("json")) {
            return "json";
        }
        return type.contains("xml") ? "xml" : null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes();
        } catch (BaseServerResponseException e) {
            RequestLimitFilter.refuse(response, e.getStatusCode(), e.getStatusCode() == 413 ? OperationOutcome.IssueType.TOOCOSTLY
                    : OperationOutcome.IssueType.INVALID, e.getMessage());
            return;
        }
        String problem = body.length == 0 ? null : "json".equals(kind(request)) ? FhirBodyCheck.json(body, maxBundleEntries) : FhirBodyCheck.xml(body);
        String encoding = FhirBodyCheck.utf8(body);
        if (encoding != null && (problem == null || !problem.contains("UTF-8"))) {
            // The structural check names the element when it finds the bad bytes itself; otherwise the offset.
            problem = encoding;
        }
        if (problem != null && problem.startsWith(FhirBodyCheck.TOO_MANY_ENTRIES)) {
            RequestLimitFilter.refuse(response, 413, OperationOutcome.IssueType.TOOCOSTLY, problem);
            return;
        }
        if (problem != null) {
            RequestLimitFilter.refuse(response, 400, OperationOutcome.IssueType.INVALID, problem);
            return;
        }
        chain.doFilter(new BufferedBody(request, body), response);
    }

    private static final class BufferedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("asynchronous reads are not used");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
