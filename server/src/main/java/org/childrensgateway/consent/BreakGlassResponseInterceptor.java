package org.childrensgateway.consent;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.childrensgateway.fhir.FhirInterceptor;
import org.springframework.stereotype.Component;

/** Tells the caller, on the response itself, that break-glass released data consent would have hidden. */
@Component
@Interceptor
public class BreakGlassResponseInterceptor implements FhirInterceptor {

    public static final String HEADER = "X-Break-Glass";

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean flag(HttpServletRequest request, HttpServletResponse response) {
        if (Boolean.TRUE.equals(request.getAttribute(BreakGlassLog.USED))) {
            response.setHeader(HEADER, "applied: consent was overridden for safeguarding; this access is audited and the data owners notified");
        }
        return true;
    }
}
