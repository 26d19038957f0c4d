package org.childrensgateway.fhir;

import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The HAPI interceptors registered on the FHIR server, in order. Security, consent and audit add
 * theirs here so that every FHIR request passes through them.
 */
@Component
public class FhirInterceptors {

    private final List<Object> interceptors;

    public FhirInterceptors(List<FhirInterceptor> interceptors) {
        this.interceptors = List.copyOf(interceptors);
    }

    public List<Object> all() {
        return interceptors;
    }
}
