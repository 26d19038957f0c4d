package org.childrensgateway.operations;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id, returned in {@code X-Request-ID} and put in the logging context
 * ({@code requestId}) so each log line of a request can be found from a client's report. An id sent
 * by the caller or the edge proxy is kept when it looks like an id (letters, digits, {@code .-_:},
 * up to 64 characters); anything else is replaced, so the header cannot inject text into the logs.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-ID";
    public static final String MDC_KEY = "requestId";
    /** Where HAPI's {@code ServletRequestTracing} looks for an id already given to the request. */
    private static final String HAPI_REQUEST_ID = ca.uhn.fhir.rest.server.ServletRequestTracing.ATTRIBUTE_REQUEST_ID;
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = request.getHeader(HEADER);
        if (id == null || !ACCEPTABLE.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
        }
        response.setHeader(HEADER, id);
        // HAPI keeps its own request id (and adds its own header): hand it ours instead.
        request.setAttribute(HAPI_REQUEST_ID, id);
        MDC.put(MDC_KEY, id);
        try {
            chain.doFilter(request, new OneRequestIdResponse(response, id));
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /** Keeps the response to one {@code X-Request-ID} header, ours, whatever later code adds. */
    private static final class OneRequestIdResponse extends HttpServletResponseWrapper {
        private final String id;

        OneRequestIdResponse(HttpServletResponse response, String id) {
            super(response);
            this.id = id;
        }

        @Override
        public void addHeader(String name, String value) {
            if (HEADER.equalsIgnoreCase(name)) {
                super.setHeader(HEADER, id);
            } else {
                super.addHeader(name, value);
            }
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, HEADER.equalsIgnoreCase(name) ? id : value);
        }
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }
}
