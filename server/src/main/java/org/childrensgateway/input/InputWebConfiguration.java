package org.childrensgateway.input;

import org.childrensgateway.audit.AuditWebConfiguration;
import org.childrensgateway.limits.RequestLimits;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The FHIR body check (and the count of a JSON Bundle's entries), inside the audit filter and the request-limit filter. */
@Configuration(proxyBeanMethods = false)
public class InputWebConfiguration {

    @Bean
    FilterRegistrationBean<FhirInputFilter> fhirInputFilter(RequestLimits limits) {
        FilterRegistrationBean<FhirInputFilter> registration = new FilterRegistrationBean<>(new FhirInputFilter(limits.maxBundleEntries()));
        registration.addUrlPatterns("/fhir/*");
        registration.setOrder(Math.max(AuditWebConfiguration.FILTER_ORDER, SecurityProperties.DEFAULT_FILTER_ORDER) + 20);
        registration.setName("fhirInputFilter");
        return registration;
    }
}
