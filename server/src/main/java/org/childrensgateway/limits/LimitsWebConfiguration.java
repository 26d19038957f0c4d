package org.childrensgateway.limits;

import org.childrensgateway.audit.AuditWebConfiguration;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the request-limit filter inside the audit filter (so its refusals are audited) and just
 * after Spring Security's chain (which reads only headers), so a refusal is audited with its caller.
 */
@Configuration(proxyBeanMethods = false)
public class LimitsWebConfiguration {

    @Bean
    FilterRegistrationBean<RequestLimitFilter> requestLimitFilter(RequestLimits limits) {
        FilterRegistrationBean<RequestLimitFilter> registration = new FilterRegistrationBean<>(new RequestLimitFilter(limits));
        registration.addUrlPatterns("/fhir/*", "/ingest/*", "/export/*");
        registration.setOrder(Math.max(AuditWebConfiguration.FILTER_ORDER, SecurityProperties.DEFAULT_FILTER_ORDER) + 10);
        registration.setName("requestLimitFilter");
        return registration;
    }
}
