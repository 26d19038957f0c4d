package org.childrensgateway.conformance;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.childrensgateway.fhir.ResourceWriteListener;
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
    FilterRegistrationBean<OncePerRequestFilter> emittedConformanceFilter() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new CaptureFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    ResourceWriteListener emittedConformanceWrites() {
        return outcome -> {
            if (outcome.resource() != null && outcome.kind() != org.childrensgateway.fhir.WriteOutcome.Kind.UNCHANGED) {
                EmittedConformance.get().submit("stored " + outcome.stored().type() + " (" + outcome.kind() + ")",
                        outcome.stored().json());
            }
        };
    }

    /** AuditEvents are stored by the audit log directly: each drain sweeps those written since the last. */
    @Bean
    org.springframework.beans.factory.SmartInitializingSingleton emittedConformanceAuditSweep(
            org.springframework.jdbc.core.simple.JdbcClient jdbc) {
        java.util.concurrent.atomic.AtomicLong after = new java.util.concurrent.atomic.AtomicLong();
        return () -> EmittedConformance.get().sweepWith(() -> {
            synchronized (after) {
                jdbc.sql("select pid, content::text from resource where res_type = 'AuditEvent' and pid > ? order by pid")
                        .param(after.get()).query((rs, n) -> {
                            after.set(Math.max(after.get(), rs.getLong(1)));
                            EmittedConformance.get().submitShape("stored AuditEvent", rs.getString(2));
                            return null;
                        }).list();
            }
        });
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
                if (type != null && body.length > 0 && isFhirJson(request.getRequestURI(), type, body)) {
                    String query = request.getQueryString();
                    String what = request.getMethod() + " " + request.getRequestURI() + (query == null ? "" : "?" + query)
                            + " -> " + wrapper.getStatus();
                    EmittedConformance.get().submit(what, new String(body, StandardCharsets.UTF_8));
                }
            }
        }

        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

        /**
         * FHIR JSON is checked whatever the route; plain JSON from the non-FHIR routes only when it is a
         * resource (an OperationOutcome, say), not a report that merely names resource types.
         */
        private static boolean isFhirJson(String path, String contentType, byte[] body) {
            if (contentType.startsWith("application/fhir+json") && path.startsWith("/fhir")) {
                return true;
            }
            // Spring answers a non-FHIR route in whatever JSON type the client accepted (a job report
            // asked for as application/fhir+json comes labelled so): judge those by their content.
            if (!contentType.startsWith("application/json") && !contentType.startsWith("application/fhir+json")) {
                return false;
            }
            try {
                com.fasterxml.jackson.databind.JsonNode node = JSON.readTree(body);
                return node != null && node.isObject() && node.path("resourceType").isTextual();
            } catch (IOException e) {
                return false;
            }
        }
    }
}
