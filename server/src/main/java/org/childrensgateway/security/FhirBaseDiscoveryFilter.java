package org.childrensgateway.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves SMART discovery at the FHIR base, {@code GET /fhir/.well-known/smart-configuration}, where
 * conformant clients look for it. HAPI's servlet owns {@code /fhir/*}, so a Spring MVC mapping there
 * is never reached; this filter answers before it, with the same document as the root one.
 */
public class FhirBaseDiscoveryFilter extends OncePerRequestFilter {

    public static final String PATH = "/fhir/.well-known/smart-configuration";

    private final SmartConfigurationController discovery;
    private final ObjectMapper json = new ObjectMapper();

    public FhirBaseDiscoveryFilter(SmartConfigurationController discovery) {
        this.discovery = discovery;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"GET".equals(request.getMethod()) || !PATH.equals(request.getRequestURI().substring(request.getContextPath().length()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String base = org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromContextPath(request).build().toUriString();
        java.util.Map<String, Object> document;
        try {
            document = discovery.configuration(base);
            response.setStatus(200);
        } catch (IssuerMetadata.Unavailable e) {
            document = java.util.Map.of("error", "temporarily_unavailable", "error_description", e.getMessage());
            response.setStatus(503);
        }
        response.setContentType("application/json");
        json.writeValue(response.getOutputStream(), document);
    }
}
