package org.childrensgateway.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One log line for each FHIR request refused for who is asking (401, 403) or for breaking a
 * request limit (413): the method, resource type, operation, status and exception class, never its
 * message (which can quote a value). HAPI itself logs every exception thrown by an interceptor
 * hook as an ERROR with its stack trace; that logger is switched off in application.yaml, and
 * unexpected failures are still logged, with their stack, by {@link ErrorHygieneInterceptor}.
 */
@Component
@Interceptor
public class RefusalLogInterceptor implements FhirInterceptor {

    private static final Logger log = LoggerFactory.getLogger(RefusalLogInterceptor.class);

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean logRefusal(RequestDetails request, BaseServerResponseException exception) {
        int status = exception.getStatusCode();
        if (status == 401 || status == 403 || status == 413) {
            log.warn("Refused {} {} ({}): {} {}", request.getRequestType(), request.getResourceName() == null ? "/" : request.getResourceName(),
                    request.getRestOperationType() == null ? "unknown" : request.getRestOperationType().getCode(), status,
                    exception.getClass().getSimpleName());
        }
        return true;
    }
}
