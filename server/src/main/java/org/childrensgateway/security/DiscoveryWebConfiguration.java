package org.childrensgateway.security;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Registers SMART discovery at the FHIR base ahead of HAPI's servlet (and of the token check: it is public). */
@Configuration(proxyBeanMethods = false)
class DiscoveryWebConfiguration {

    @Bean
    FilterRegistrationBean<FhirBaseDiscoveryFilter> fhirBaseDiscovery(SmartConfigurationController discovery) {
        FilterRegistrationBean<FhirBaseDiscoveryFilter> registration = new FilterRegistrationBean<>(new FhirBaseDiscoveryFilter(discovery));
        registration.addUrlPatterns(FhirBaseDiscoveryFilter.PATH);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 50);
        return registration;
    }
}
