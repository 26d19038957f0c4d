package org.childrensgateway.operations;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.childrensgateway.fhir.FhirInterceptor;
import org.springframework.stereotype.Component;

/**
 * {@code gateway_fhir_requests_seconds{interaction, resource, outcome, status}}: rate and latency of
 * every FHIR request, per interaction (read, search-type, create, transaction, get-page, ...) and
 * resource type. Timing starts when HAPI receives the request and stops when it has answered or
 * turned an exception into an OperationOutcome. Tags never carry ids or parameter values.
 */
@Component
@Interceptor
public class FhirMetricsInterceptor implements FhirInterceptor {

    static final String REQUESTS = "gateway.fhir.requests";
    private static final String START = FhirMetricsInterceptor.class.getName() + ".start";

    /** Latency buckets published for the timer, so dashboards can compute percentiles across nodes. */
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final MeterRegistry registry;

    public FhirMetricsInterceptor(MeterRegistry registry) {
        this.registry = registry;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
    public boolean start(HttpServletRequest request, HttpServletResponse response) {
        request.setAttribute(START, System.nanoTime());
        return true;
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
    public void completed(ServletRequestDetails details) {
        record(details, details.getServletRequest(), details.getServletResponse().getStatus());
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean failed(RequestDetails details, HttpServletRequest request, BaseServerResponseException exception) {
        record(details, request, exception.getStatusCode());
        return true;
    }

    private void record(RequestDetails details, HttpServletRequest request, int status) {
        Object start = request == null ? null : request.getAttribute(START);
        if (!(start instanceof Long started)) {
            return;
        }
        RestOperationTypeEnum operation = details == null ? null : details.getRestOperationType();
        // The resource name is only trusted once HAPI bound the request to a handler: before that it
        // is whatever the client wrote in the path.
        String resource = operation == null || details.getResourceName() == null ? "none" : details.getResourceName();
        Timer.builder(REQUESTS)
                .description("FHIR requests by interaction, resource type and outcome")
                .tag("interaction", operation == null ? "unknown" : operation.getCode())
                .tag("resource", resource)
                .tag("outcome", outcome(status))
                .tag("status", Integer.toString(status))
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    static String outcome(int status) {
        if (status >= 500) {
            return "server_error";
        }
        if (status >= 400) {
            return "client_error";
        }
        return "success";
    }
}
