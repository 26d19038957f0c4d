package org.childrensgateway.audit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.childrensgateway.security.CallerContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts the audit filter in front of every audited path, outside the security filter. */
@Configuration(proxyBeanMethods = false)
public class AuditWebConfiguration implements WebMvcConfigurer {

    /** Before the security filter (Spring Security's chain sits at -100), so refusals are audited too. */
    public static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    @Bean
    FilterRegistrationBean<AuditFilter> auditFilter(AuditLog audit) {
        FilterRegistrationBean<AuditFilter> registration = new FilterRegistrationBean<>(new AuditFilter(audit));
        // The OpenAPI document describes no one, but every way in or out of the gateway is accountable.
        registration.addUrlPatterns("/fhir/*", "/ingest/*", "/export/*", "/identity/*", "/notifications/*", "/openapi.yaml");
        registration.setOrder(FILTER_ORDER);
        registration.setName("auditFilter");
        return registration;
    }

    /** Inside every filter, so the caller the security filter established is seen (and kept) here. */
    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                AuditTrail.current().ifPresent(p -> p.caller(CallerContext.current().orElse(null)));
                return true;
            }
        }).addPathPatterns("/ingest/**", "/export/**");
    }
}
