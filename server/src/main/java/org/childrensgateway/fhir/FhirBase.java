package org.childrensgateway.fhir;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * This server's FHIR base URL as the current request reached it ({@code scheme://host:port/fhir}),
 * the base HAPI writes into links too. A search reference in that absolute form is a local one.
 */
public final class FhirBase {

    /** Where {@code GatewayRestfulServer} is mounted. */
    public static final String PATH = "/fhir";

    private FhirBase() {
    }

    public static Optional<String> current() {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return Optional.empty(); // ingest jobs and other background work: no request, no base
        }
        HttpServletRequest request = attributes.getRequest();
        return Optional.of(ServletUriComponentsBuilder.fromContextPath(request).path(PATH).build().toUriString());
    }
}
