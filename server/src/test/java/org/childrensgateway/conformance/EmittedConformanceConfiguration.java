package org.childrensgateway.conformance;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.childrensgateway.fhir.ResourceWriteListener;
import org.childrensgateway.profiles.ProfileValidatorFactory;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Test-only wiring of {@link EmittedConformance}: a servlet filter in front of everything (FHIR
 * and non-FHIR routes, errors included) hands every FHIR response body to it, and a write listener
 * hands it every resource as stored (feed output, derived child and carer records, transactions),
 * which is what reads and exports later emit. Imported by {@code GatewayTestBase}; nothing of this
 * exists in the shipped gateway.
 */
@TestConfiguration(proxyBeanMethods = false)
public class EmittedConformanceConfiguration {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> emittedConformanceFilter(ProfileValidatorFactory profiles) {
        EmittedConformance.get().use(profiles);
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new CaptureFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    ResourceWriteListener emittedConformanceWrites(FhirContext context, ProfileValidatorFactory profiles) {
        EmittedConformance.get().use(profiles);
        return outcome -> {
            if (outcome.resource() != null && outcome.kind() != org.childrensgateway.fhir.WriteOutcome.Kind.UNCHANGED) {
                EmittedConformance.get().submit("stored " + outcome.stored().type() + " (" + outcome.kind() + ")",
                        outcome.stored().json());
            }
        };
    }

    /** Copies FHIR response bodies (application/fhir+json, or JSON naming a resourceType) to the checker. */
    static final class CaptureFilter extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
            try {
                chain.doFilter(request, wrapper);
            } finally {
                String type = wrapper.getContentType();
                byte[] body = wrapper.getContentAsByteArray();
                boolean gzip = "gzip".equalsIgnoreCase(wrapper.getHeader("Content-Encoding"));
                wrapper.copyBodyToResponse();
                if (gzip && body.length > 0) {
                    // HAPI compresses when the client accepts it (REST Assured does).
                    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                        body = in.readAllBytes();
                    }
                }
                if (type != null && body.length > 0 && isFhirJson(type, body)) {
                    String query = request.getQueryString();
                    String what = request.getMethod() + " " + request.getRequestURI() + (query == null ? "" : "?" + query)
                            + " -> " + wrapper.getStatus();
                    EmittedConformance.get().submit(what, new String(body, StandardCharsets.UTF_8));
                }
            }
        }

        private static boolean isFhirJson(String contentType, byte[] body) {
            if (contentType.startsWith("application/fhir+json")) {
                return true;
            }
            // Plain JSON from the non-FHIR routes is FHIR only when it is a resource (an OperationOutcome, say).
            return contentType.startsWith("application/json")
                    && new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).replace(" ", "")
                    .contains("\"resourceType\":");
        }
    }
}
