package org.childrensgateway.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Unexpected failures become a plain 500 OperationOutcome with an incident id; the detail goes to
 * the log (exception class and stack, never the request body) and never to the client.
 */
@Component
@Interceptor
public class ErrorHygieneInterceptor implements FhirInterceptor {

    private static final Logger log = LoggerFactory.getLogger(ErrorHygieneInterceptor.class);

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException sanitise(RequestDetails request, Throwable cause, HttpServletRequest servletRequest) {
        Throwable root = cause;
        // HAPI wraps exceptions thrown by providers in InternalErrorException; look inside it.
        while (root.getCause() != null && (!(root instanceof BaseServerResponseException) || root instanceof InternalErrorException)) {
            root = root.getCause();
        }
        if (root instanceof BaseServerResponseException known) {
            return known;
        }
        if (root instanceof org.springframework.dao.CannotAcquireLockException
                || root instanceof org.springframework.dao.PessimisticLockingFailureException) {
            return new ResourceVersionConflictException("The resource was being changed by another request; retry");
        }
        String incident = UUID.randomUUID().toString();
        log.error("Incident {} on {} {}: {}", incident, servletRequest.getMethod(), request.getRequestPath(),
                root.getClass().getName(), root instanceof DataAccessException ? null : root);
        return new InternalErrorException("Internal error (incident " + incident + "); the request was not completed");
    }
}
